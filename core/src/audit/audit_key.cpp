#include "townhall/audit/audit_key.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <sstream>
#include <stdexcept>

namespace townhall {

namespace {

constexpr std::string_view kKeyHeader = "townhall-audit-key/1";
constexpr std::string_view kMarkHeader = "townhall-audit-head/1";
// crypto_kdf contexts are exactly 8 characters; the subkey ids keep the two keys apart.
constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES + 1] = "THaudit1";
constexpr uint64_t kSealSubkey = 1;
constexpr uint64_t kSignSeedSubkey = 2;
// A key file is one short line; anything much longer is not one.
constexpr size_t kMaxKeyFileBytes = 256;
constexpr size_t kMaxMarkFileBytes = 1024;

void ensure_sodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string to_hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

// Exactly `n` bytes from `hex` (lower- or upper-case), else false.
bool from_hex(std::string_view hex, unsigned char* out, size_t n) {
  if (hex.size() != n * 2) return false;
  size_t len = 0;
  const char* end = nullptr;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, &end) == 0 && len == n &&
         end == hex.data() + hex.size();
}

std::string errno_text() { return std::strerror(errno); }

// Reads at most `limit` bytes of an open file; kInvalidArgument when it is longer.
Result<std::string> read_small(int fd, size_t limit, const std::string& path) {
  std::string out;
  char buf[512];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error{ErrorCode::kIo, path, "cannot read: " + errno_text()};
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > limit) break;
  }
  sodium_memzero(buf, sizeof buf);
  if (out.size() > limit) return invalid_argument(path, "is too long to be a Townhall audit file");
  return out;
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// "name=value" words after a header word, e.g. "townhall-audit-head/1 key=... from=3".
std::optional<std::map<std::string, std::string>> fields_after(std::string_view text, std::string_view header) {
  std::istringstream in{std::string(text)};
  std::string word;
  if (!(in >> word) || word != header) return std::nullopt;
  std::map<std::string, std::string> out;
  while (in >> word) {
    auto eq = word.find('=');
    if (eq == std::string::npos || eq == 0) return std::nullopt;
    if (!out.emplace(word.substr(0, eq), word.substr(eq + 1)).second) return std::nullopt;
  }
  return out;
}

std::optional<int64_t> whole_number(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(text);
}

std::string mark_seal_text(const std::string& public_key, const AuditHeadMark& m) {
  return std::string(kMarkHeader) + "\n" + public_key + "\n" + std::to_string(m.sealed_from) + "\n" +
         std::to_string(m.seq) + "\n" + m.hash;
}

// Closes a descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

struct AuditKey::Secret {
  unsigned char seal_key[crypto_auth_KEYBYTES];
  unsigned char sign_public[crypto_sign_PUBLICKEYBYTES];
  unsigned char sign_secret[crypto_sign_SECRETKEYBYTES];
};

std::string default_audit_key_path(const std::string& database_path) { return database_path + ".audit-key"; }

AuditKey::AuditKey(std::string path, Secret* secret, std::string public_key)
    : path_(std::move(path)), secret_(secret), public_key_(std::move(public_key)) {}

AuditKey::~AuditKey() { sodium_free(secret_); }  // wipes the memory before releasing it

Result<std::shared_ptr<const AuditKey>> AuditKey::load(const std::string& path) {
  ensure_sodium();
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (f.fd < 0) {
    if (errno == ENOENT) return Error{ErrorCode::kNotFound, path, "no audit key file"};
    return invalid_argument(path, "cannot open the audit key file: " + errno_text());
  }
  struct stat st {};
  if (fstat(f.fd, &st) != 0) return invalid_argument(path, "cannot read the audit key file: " + errno_text());
  if (!S_ISREG(st.st_mode)) return invalid_argument(path, "the audit key is not a regular file");
  if ((st.st_mode & 077) != 0) {
    return invalid_argument(path, "the audit key file may be read by others (mode " +
                                      std::to_string((st.st_mode >> 6) & 7) + std::to_string((st.st_mode >> 3) & 7) +
                                      std::to_string(st.st_mode & 7) + "); make it private with chmod 600");
  }
  auto text = read_small(f.fd, kMaxKeyFileBytes, path);
  if (!text) return text.error();
  auto* secret = static_cast<Secret*>(sodium_malloc(sizeof(Secret)));
  if (secret == nullptr) throw std::bad_alloc();
  unsigned char master[crypto_kdf_KEYBYTES];
  // Parsed in place, so that no copy of the secret is left behind in freed memory.
  std::string_view line(*text);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  bool parsed = line.size() == kKeyHeader.size() + 1 + 2 * sizeof master && line.substr(0, kKeyHeader.size()) == kKeyHeader &&
                line[kKeyHeader.size()] == ' ' && from_hex(line.substr(kKeyHeader.size() + 1), master, sizeof master);
  sodium_memzero(text->data(), text->size());
  if (!parsed) {
    sodium_memzero(master, sizeof master);
    sodium_free(secret);
    return invalid_argument(path, "is not a Townhall audit key (expected one line \"" + std::string(kKeyHeader) +
                                      " <64 hex digits>\")");
  }
  // Two independent keys from one secret: the sealing key and the seed of the signing key pair.
  unsigned char seed[crypto_sign_SEEDBYTES];
  bool derived =
      crypto_kdf_derive_from_key(secret->seal_key, sizeof secret->seal_key, kSealSubkey, kKdfContext, master) == 0 &&
      crypto_kdf_derive_from_key(seed, sizeof seed, kSignSeedSubkey, kKdfContext, master) == 0 &&
      crypto_sign_seed_keypair(secret->sign_public, secret->sign_secret, seed) == 0;
  sodium_memzero(seed, sizeof seed);
  sodium_memzero(master, sizeof master);
  if (!derived) {
    sodium_free(secret);
    return Error{ErrorCode::kInternal, path, "cannot derive the audit keys"};
  }
  std::string public_key = to_hex(secret->sign_public, sizeof secret->sign_public);
  return std::shared_ptr<const AuditKey>(new AuditKey(path, secret, std::move(public_key)));
}

Result<std::shared_ptr<const AuditKey>> AuditKey::create(const std::string& path) {
  ensure_sodium();
  Fd f;
  f.fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (f.fd < 0) {
    if (errno == EEXIST) return Error{ErrorCode::kConflict, path, "an audit key file already exists; it is never replaced"};
    return Error{ErrorCode::kIo, path, "cannot create the audit key file: " + errno_text()};
  }
  unsigned char master[crypto_kdf_KEYBYTES];
  crypto_kdf_keygen(master);
  std::string line = std::string(kKeyHeader) + " " + to_hex(master, sizeof master) + "\n";
  sodium_memzero(master, sizeof master);
  // The umask may only take permissions away, but say 0600 outright in case the file system
  // gave the new file more.
  bool written = fchmod(f.fd, 0600) == 0 && write_all(f.fd, line) && fsync(f.fd) == 0;
  sodium_memzero(line.data(), line.size());
  if (!written) {
    std::string why = errno_text();
    ::unlink(path.c_str());
    return Error{ErrorCode::kIo, path, "cannot write the audit key file: " + why};
  }
  ::close(f.fd);
  f.fd = -1;
  // The new name must survive a crash too, or the sealed log would outlive its key.
  std::string dir = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/'));
  if (dir.empty()) dir = "/";
  Fd d;
  d.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (d.fd >= 0) (void)fsync(d.fd);
  return load(path);
}

std::string AuditKey::seal(std::string_view text) const {
  unsigned char mac[crypto_auth_BYTES];
  crypto_auth(mac, reinterpret_cast<const unsigned char*>(text.data()), text.size(), secret_->seal_key);
  return to_hex(mac, sizeof mac);
}

bool AuditKey::seal_matches(std::string_view text, std::string_view seal_hex) const {
  unsigned char mac[crypto_auth_BYTES];
  if (!from_hex(seal_hex, mac, sizeof mac)) return false;
  return crypto_auth_verify(mac, reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                            secret_->seal_key) == 0;
}

std::string AuditKey::sign(std::string_view message) const {
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_->sign_secret);
  return to_hex(sig, sizeof sig);
}

bool audit_signature_valid(std::string_view public_key_hex, std::string_view message, std::string_view signature_hex) {
  ensure_sodium();
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sig[crypto_sign_BYTES];
  if (!from_hex(public_key_hex, pk, sizeof pk) || !from_hex(signature_hex, sig, sizeof sig)) return false;
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                     pk) == 0;
}

Result<std::optional<AuditHeadMark>> AuditKey::read_head_mark() const {
  const std::string path = head_mark_path();
  Fd f;
  f.fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (f.fd < 0) {
    if (errno == ENOENT) return std::optional<AuditHeadMark>();
    return invalid_argument(path, "cannot open the audit head mark: " + errno_text());
  }
  auto text = read_small(f.fd, kMaxMarkFileBytes, path);
  if (!text) return invalid_argument(path, text.error().message);
  auto fields = fields_after(*text, kMarkHeader);
  auto field = [&](const char* name) -> std::string {
    if (!fields) return {};
    auto it = fields->find(name);
    return it == fields->end() ? std::string() : it->second;
  };
  auto from = whole_number(field("from"));
  auto seq = whole_number(field("entry"));
  std::string hash = field("hash");
  if (!fields || !from || !seq || hash.empty() || field("key").empty() || field("seal").empty()) {
    return invalid_argument(path, "is not a Townhall audit head mark");
  }
  AuditHeadMark m{*from, *seq, hash == "-" ? std::string() : hash};
  if (field("key") != public_key_ || !seal_matches(mark_seal_text(public_key_, m), field("seal"))) {
    return Error{ErrorCode::kConflict, path,
                 "the audit head mark was not sealed by the audit key beside it (edited, or copied from another key)"};
  }
  return std::optional<AuditHeadMark>(m);
}

Status AuditKey::advance_head_mark(const AuditHeadMark& mark) const {
  // The lock is taken on the key file, which is never replaced; the mark itself is, by rename.
  Fd lock;
  lock.fd = ::open(path_.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (lock.fd < 0) return Error{ErrorCode::kIo, path_, "cannot open the audit key to lock it: " + errno_text()};
  while (flock(lock.fd, LOCK_EX) != 0) {
    if (errno != EINTR) return Error{ErrorCode::kIo, path_, "cannot lock the audit key: " + errno_text()};
  }
  auto current = read_head_mark();
  if (current && *current) {
    const AuditHeadMark& c = **current;
    if (c.sealed_from != mark.sealed_from) {
      return Error{ErrorCode::kConflict, head_mark_path(),
                   "the audit key already seals another log (sealed from entry " + std::to_string(c.sealed_from) +
                       "); give each database its own key"};
    }
    if (c.seq >= mark.seq) return Status::Ok();  // never backwards
  }
  // An unreadable or unsealed mark is replaced: the database's own check (the mark must name an
  // entry of its chain) is what keeps the evidence of a cut-off log.
  const std::string target = head_mark_path();
  const std::string tmp = target + ".new";
  std::string line = std::string(kMarkHeader) + " key=" + public_key_ + " from=" + std::to_string(mark.sealed_from) +
                     " entry=" + std::to_string(mark.seq) + " hash=" + (mark.hash.empty() ? "-" : mark.hash) +
                     " seal=" + seal(mark_seal_text(public_key_, mark)) + "\n";
  Fd out;
  out.fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (out.fd < 0) return Error{ErrorCode::kIo, tmp, "cannot write the audit head mark: " + errno_text()};
  if (!write_all(out.fd, line)) return Error{ErrorCode::kIo, tmp, "cannot write the audit head mark: " + errno_text()};
  ::close(out.fd);
  out.fd = -1;
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    return Error{ErrorCode::kIo, target, "cannot replace the audit head mark: " + errno_text()};
  }
  return Status::Ok();
}

AuditKeyChoice choose_audit_key(const std::string& path, bool may_create, bool may_seal, bool log_sealed) {
  AuditKeyChoice choice;
  auto key = AuditKey::load(path);
  if (!key && key.error().code == ErrorCode::kNotFound && may_create && !log_sealed) {
    key = AuditKey::create(path);
    // Another process opening the same new database may have made it a moment ago.
    if (!key && key.error().code == ErrorCode::kConflict) key = AuditKey::load(path);
  }
  if (!key) {
    choice.unavailable = key.error().code == ErrorCode::kNotFound
                             ? "no audit key at " + path
                             : "the audit key cannot be used: " + key.error().describe();
    return choice;
  }
  choice.key = *key;
  if (!may_seal || log_sealed) return choice;
  auto mark = choice.key->read_head_mark();
  if (!mark) {
    choice.unavailable =
        "the audit key's head mark cannot be read (" + mark.error().describe() + "), so the log is not sealed with it";
  } else if (*mark) {
    // The key already seals a log: sealing this one too would mix two logs' head marks.
    choice.unavailable = "the audit key at " + path + " already seals another log; give each database its own key";
  } else {
    choice.seal_now = true;
  }
  return choice;
}

}  // namespace townhall
