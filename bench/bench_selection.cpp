// scratch driver (replaced later)
#include <chrono>
#include <cstdio>
#include <iostream>
#include "townhall/panel/instance.h"
#include "townhall/panel/leximin.h"
using namespace townhall::panel;
int main(int argc, char** argv) {
  if (argc < 4) return 2;
  PoolOptions po;
  if (argc > 4) po.id_column = argv[4];
  auto inst = load_instance(argv[1], argv[2], po);
  if (!inst) { std::cerr << inst.error().message << "\n"; return 2; }
  SelectionProblem p;
  p.categories = inst->categories;
  for (auto& pe : inst->people) { p.people.push_back(pe.values); p.household.push_back(pe.household); }
  p.k = std::atoi(argv[3]);
  auto t0 = std::chrono::steady_clock::now();
  LeximinOptions o;
  o.progress = [](const LeximinProgress& pr) { std::fprintf(stderr, "level %d fixed %zu/%zu lower %.6f upper %.6f panels %zu\n", pr.level, pr.people_fixed, pr.people_total, pr.lower, pr.upper, pr.panels); };
  auto d = leximin(p, o);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!d) { std::cerr << d.error().message << "\n"; return 1; }
  double mn = 1, sum = 0;
  for (double x : d->probabilities) { mn = std::min(mn, x); sum += x; }
  std::printf("types %zu min %.6f sum %.6f panels %zu gen %zu mip %zu heur %zu levels %d lp %.2f mip %.2f time %.3f\n", d->types.members.size(), mn, sum, d->panels.size(), d->panels_generated, d->mip_calls, d->heuristic_panels, d->levels, d->lp_seconds, d->mip_seconds, s);
  for (size_t i = 0; i < d->probabilities.size() && argc > 5; ++i) std::printf("%zu,%.6f\n", i, d->probabilities[i]);
}
