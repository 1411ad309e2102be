// Runs the built `townhall` binary and captures its exit code, stdout and stderr.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace townhall::testing {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

inline CliRun run_cli(const std::string& args, const std::string& stdin_text = "") {
  char err_path[] = "/tmp/townhall-cli-err-XXXXXX";
  int fd = mkstemp(err_path);
  close(fd);
  std::string cmd = std::string(TOWNHALL_CLI) + " " + args + " 2>" + err_path;
  if (!stdin_text.empty()) {
    char in_path[] = "/tmp/townhall-cli-in-XXXXXX";
    int ifd = mkstemp(in_path);
    close(ifd);
    std::ofstream(in_path) << stdin_text;
    cmd += std::string(" <") + in_path;
  }
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream e(err_path);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  std::remove(err_path);
  return r;
}

inline std::string write_temp(const std::string& content, const std::string& suffix) {
  std::string path = "/tmp/townhall-test-XXXXXX" + suffix;
  int fd = mkstemps(path.data(), static_cast<int>(suffix.size()));
  close(fd);
  std::ofstream(path) << content;
  return path;
}

// A fresh directory under /tmp named after `prefix`; remove it with std::filesystem::remove_all.
inline std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  return mkdtemp(tmpl.data());
}

}  // namespace townhall::testing
