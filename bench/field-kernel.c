/*
 * The C floor of `npm run bench`: a port of simulateField (src/simulation/core/field-simulation.ts)
 * without jitter, the /simulate computation. Same arithmetic in the same order, the same
 * activator/inhibitor pair integrated while it may fire (horizon re-checked every 8 steps),
 * diffusion and the ion clamp, so the final field is bit-identical to the service's; field-floor.js
 * checks that before reporting a time. The random draws are not made here: they are replayed,
 * in the order the core makes them, from a file the service's generator wrote.
 *
 * Built by bench/field-floor.js: cc -O3 -march=native -ffp-contract=off (no fused multiply-add:
 * it would change the rounding, so the bits).
 *
 * usage: field-kernel <draws.bin> <out.bin> <grid> <steps> <alpha> <spike_p> <turing 0|1> <threshold>
 * draws.bin: the doubles the core drew, in order. out.bin: the final field (grid^2 doubles).
 * Prints the milliseconds of the simulation proper (draws already in memory, output not written).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DA 0.1
#define DI 0.05
#define RA 0.01
#define RI 0.02
#define CLAMP_MIN (-0.095)
#define CLAMP_MAX 0.04
#define INCREMENT 0.005
#define HORIZON_CHECK_INTERVAL 8

typedef struct { double minA, maxA, minH, maxH; } bounds_t;

static const double *draws;
static size_t draw_count, draw_next;

static double draw(void) {
  if (draw_next >= draw_count) { fprintf(stderr, "draws exhausted\n"); exit(2); }
  return draws[draw_next++];
}

static double clip01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }
static double clampv(double x) { return x < CLAMP_MIN ? CLAMP_MIN : x > CLAMP_MAX ? CLAMP_MAX : x; }

/* turing-horizon.ts: turingSafeHorizon with its rounding slack. */
static int safe_horizon(bounds_t b, double threshold, int limit) {
  const double lip = 1 + 2 * RA;
  double slack = (1e-14 * (pow(lip, limit) - 1)) / (lip - 1);
  if (slack < 1e-9) slack = 1e-9;
  const double ceiling = threshold - slack;
  int s = 0;
  while (s < limit) {
    double atLo = b.minA * (1 - b.minA), atHi = b.maxA * (1 - b.maxA);
    double gLo = atLo < atHi ? atLo : atHi;
    double gHi = b.minA <= 0.5 && b.maxA >= 0.5 ? 0.25 : (atLo > atHi ? atLo : atHi);
    double nextMaxA = b.maxA + RA * (gHi - b.minH);
    if (!(nextMaxA <= ceiling)) break;
    double nextMinA = b.minA + RA * (gLo - b.maxH);
    double nextMaxH = (1 - RI) * b.maxH + RI * nextMaxA;
    double nextMinH = (1 - RI) * b.minH + RI * nextMinA;
    b.minA = clip01(nextMinA);
    b.maxA = clip01(nextMaxA);
    b.minH = clip01(nextMinH);
    b.maxH = clip01(nextMaxH);
    s++;
  }
  return s;
}

static int may_fire(bounds_t b, double threshold, int remaining) { return safe_horizon(b, threshold, remaining) < remaining; }

/* One cell of the pair (turing-pair.ts / turing-rows.ts); neighbours up, down, left, right. */
static inline void pair_cell(const double *a, const double *h, double *an, double *hn, int k, int ku, int kd, int kl, int kr,
                             double threshold, int *fired, int *firedCells, bounds_t *r, int track) {
  double ac = a[k], hc = h[k];
  double aNew = ac + (DA * (a[ku] + a[kd] + a[kl] + a[kr] - 4 * ac) + RA * (ac * (1 - ac) - hc));
  double hNew = hc + (DI * (h[ku] + h[kd] + h[kl] + h[kr] - 4 * hc) + RI * (aNew - hc));
  if (aNew > threshold) firedCells[(*fired)++] = k;
  double aC = clip01(aNew), hC = clip01(hNew);
  an[k] = aC;
  hn[k] = hC;
  if (track) {
    if (aC < r->minA) r->minA = aC;
    if (aC > r->maxA) r->maxA = aC;
    if (hC < r->minH) r->minH = hC;
    if (hC > r->maxH) r->maxH = hC;
  }
}

static int pair_step(const double *a, const double *h, double *an, double *hn, int n, double threshold, int *firedCells, bounds_t *r, int track) {
  int fired = 0;
  r->minA = 1; r->maxA = 0; r->minH = 1; r->maxH = 0;
  for (int i = 0; i < n; i++) {
    int row = i * n, up = (i == 0 ? n - 1 : i - 1) * n, down = (i == n - 1 ? 0 : i + 1) * n;
    for (int j = 0; j < n; j++) {
      int l = j == 0 ? n - 1 : j - 1, rr = j == n - 1 ? 0 : j + 1;
      pair_cell(a, h, an, hn, row + j, up + j, down + j, row + l, row + rr, threshold, &fired, firedCells, r, track);
    }
  }
  return fired;
}

static inline double diffused(const double *v, int k, int n, double alpha) {
  int i = k / n, j = k - i * n, row = i * n;
  int up = (i == 0 ? n - 1 : i - 1) * n + j, down = (i == n - 1 ? 0 : i + 1) * n + j;
  int left = row + (j == 0 ? n - 1 : j - 1), right = row + (j == n - 1 ? 0 : j + 1);
  double c = v[k];
  return c + alpha * (v[up] + v[down] + v[left] + v[right] - 4 * c);
}

static void diffuse(const double *restrict v, double *restrict out, int n, double alpha) {
  for (int i = 0; i < n; i++) {
    int row = i * n, up = (i == 0 ? n - 1 : i - 1) * n, down = (i == n - 1 ? 0 : i + 1) * n;
    out[row] = clampv(diffused(v, row, n, alpha));
    for (int j = 1; j < n - 1; j++) {
      double c = v[row + j];
      out[row + j] = clampv(c + alpha * (v[up + j] + v[down + j] + v[row + j - 1] + v[row + j + 1] - 4 * c));
    }
    if (n > 1) out[row + n - 1] = clampv(diffused(v, row + n - 1, n, alpha));
  }
}

int main(int argc, char **argv) {
  if (argc != 9) { fprintf(stderr, "usage: field-kernel draws.bin out.bin grid steps alpha spike_p turing threshold\n"); return 2; }
  const int n = atoi(argv[3]), steps = atoi(argv[4]), turing = atoi(argv[7]);
  const double alpha = atof(argv[5]), p = atof(argv[6]), threshold = atof(argv[8]);
  const size_t cells = (size_t)n * n;

  FILE *f = fopen(argv[1], "rb");
  if (!f) { perror("draws"); return 2; }
  fseek(f, 0, SEEK_END);
  draw_count = (size_t)ftell(f) / sizeof(double);
  fseek(f, 0, SEEK_SET);
  double *buf = malloc(draw_count * sizeof(double));
  if (fread(buf, sizeof(double), draw_count, f) != draw_count) { fprintf(stderr, "short read\n"); return 2; }
  fclose(f);
  draws = buf;

  double *v = malloc(cells * sizeof(double)), *vn = malloc(cells * sizeof(double));
  double *a = malloc(cells * sizeof(double)), *h = malloc(cells * sizeof(double));
  double *an = malloc(cells * sizeof(double)), *hn = malloc(cells * sizeof(double));
  int *firedCells = malloc(cells * sizeof(int));

  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (size_t k = 0; k < cells; k++) v[k] = draw();
  int active = 0;
  bounds_t b = {INFINITY, -INFINITY, INFINITY, -INFINITY};
  if (turing) {
    for (size_t k = 0; k < cells; k++) a[k] = draw();
    for (size_t k = 0; k < cells; k++) h[k] = draw();
    for (size_t k = 0; k < cells; k++) {
      if (a[k] < b.minA) b.minA = a[k];
      if (a[k] > b.maxA) b.maxA = a[k];
      if (h[k] < b.minH) b.minH = h[k];
      if (h[k] > b.maxH) b.maxH = h[k];
    }
    active = may_fire(b, threshold, steps);
  }
  for (int t = 0; t < steps; t++) {
    if (draw() < p) {
      int i = (int)draw(), j = (int)draw();
      v[i * n + j] += draw();
    }
    int fired = 0;
    if (active) {
      int check = (t + 1) % HORIZON_CHECK_INTERVAL == 0;
      fired = pair_step(a, h, an, hn, n, threshold, firedCells, &b, check);
      double *s = a; a = an; an = s;
      s = h; h = hn; hn = s;
      if (check) active = may_fire(b, threshold, steps - t - 1);
    }
    diffuse(v, vn, n, alpha);
    for (int q = 0; q < fired; q++) vn[firedCells[q]] = clampv(diffused(v, firedCells[q], n, alpha) + INCREMENT);
    double *s = v; v = vn; vn = s;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  if (draw_next != draw_count) { fprintf(stderr, "%zu draws left over\n", draw_count - draw_next); return 2; }

  FILE *o = fopen(argv[2], "wb");
  if (!o || fwrite(v, sizeof(double), cells, o) != cells) { perror("out"); return 2; }
  fclose(o);
  printf("%.3f\n", (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
  return 0;
}
