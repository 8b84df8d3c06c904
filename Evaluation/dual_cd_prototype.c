// Prototype for issue 19 (a measurement, not part of lapis): dual coordinate descent for
// L2-regularised logistic regression (Yu, Huang & Lin 2011, the method of LIBLINEAR's -s 7),
// with every label of a one-vs-rest problem fitted in lockstep: one pass over the rows in a
// shuffled order per epoch, each row's decision values for all labels read from a
// feature-major weight block (one feature's 96 label weights contiguous), each label's
// one-variable dual problem solved by Newton steps, and the row added to every label's weights
// in one sweep. A label stops when its largest dual gradient in an epoch is below EPS (0.1,
// LIBLINEAR's default); the bias is a regularised feature of value 1 (LIBLINEAR's -B 1).
// Written from the paper's algorithm. Run by Evaluation/dual_cd_prototype.py, which writes
// DIR's matrix files and compares the result with LIBLINEAR's on the same problem.
// Then, as lapis's threshold cross-validation would need, fold fits: the rows dealt to FOLDS
// folds by a seeded shuffle, each fold's model fitted on the other rows from the full fit's
// dual variables (each scaled to the fold's class weights) with at most FOLD_EPOCHS epochs
// (0: to the same stopping rule).
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <time.h>

static const char *dir;
static void *load(const char *name) {
    char path[4096]; snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb"); if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END); long n = ftell(f); fseek(f, 0, SEEK_SET);
    void *p = malloc(n); if (fread(p, 1, n, f) != (size_t)n) exit(1); fclose(f);
    return p;
}
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
static uint64_t rng = 88172645463325252ull;
static uint64_t next(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

#define LP 96
static int64_t n, d, D, L;
static int64_t *ptr; static int32_t *idx; static double *val; static uint8_t *Y; static double *qii;

typedef struct { double *W, *A, *Ap; double U[2][LP]; int epochs[LP]; long subproblems; } Fit;

// Adds alpha * y * x of each of `rows` to W (the bias feature last, value 1).
static void add_rows(Fit *f, const int64_t *rows, int64_t m) {
    for (int64_t s = 0; s < m; s++) {
        int64_t i = rows[s]; double delta[LP];
        for (int l = 0; l < LP; l++) delta[l] = l < L ? (Y[i * L + l] ? 1 : -1) * f->A[i * LP + l] : 0;
        for (int64_t k = ptr[i]; k <= ptr[i + 1]; k++) {
            int64_t j = k < ptr[i + 1] ? idx[k] : d; double v = k < ptr[i + 1] ? val[k] : 1;
            double *w = f->W + j * LP; for (int l = 0; l < LP; l++) w[l] += v * delta[l];
        }
    }
}

// Class-weighted bounds C * m / (2 * m_class) over `rows`; starting duals, from `warm` when given.
static void start(Fit *f, const int64_t *rows, int64_t m, double C, const Fit *warm) {
    f->W = aligned_alloc(64, sizeof(double) * D * LP); memset(f->W, 0, sizeof(double) * D * LP);
    f->A = malloc(sizeof(double) * n * LP); f->Ap = malloc(sizeof(double) * n * LP); f->subproblems = 0;
    for (int l = 0; l < LP; l++) { f->epochs[l] = 0; f->U[0][l] = f->U[1][l] = 1; }
    for (int l = 0; l < L; l++) {
        long pos = 0; for (int64_t s = 0; s < m; s++) pos += Y[rows[s] * L + l];
        f->U[1][l] = pos ? C * m / (2.0 * pos) : C; f->U[0][l] = pos < m ? C * m / (2.0 * (m - pos)) : C;
    }
    for (int64_t s = 0; s < m; s++) {
        int64_t i = rows[s];
        for (int l = 0; l < LP; l++) {
            int yl = l < L ? Y[i * L + l] : 0; double u = f->U[yl][l];
            if (warm) {
                double scale = u / warm->U[yl][l], a = warm->A[i * LP + l] * scale, ap = warm->Ap[i * LP + l] * scale;
                if (a <= ap) { f->A[i * LP + l] = a; f->Ap[i * LP + l] = u - a; } else { f->Ap[i * LP + l] = ap; f->A[i * LP + l] = u - ap; }
            } else {
                double a = fmin(0.001 * u, 1e-8); f->A[i * LP + l] = a; f->Ap[i * LP + l] = u - a;
            }
        }
    }
    add_rows(f, rows, m);
}

// Epochs over `rows` in a fresh shuffled order each, every label until its largest dual
// gradient of an epoch is below eps (or max_epochs). Returns the lockstep epochs run.
static int solve(Fit *f, const int64_t *rows, int64_t m, double eps, int max_epochs) {
    int64_t *perm = malloc(sizeof(int64_t) * m); memcpy(perm, rows, sizeof(int64_t) * m);
    double innereps[LP], Gmax[LP]; int active[LP]; long newton[LP];
    for (int l = 0; l < LP; l++) { active[l] = l < L; innereps[l] = 1e-2; }
    double innereps_min = eps < 1e-8 ? eps : 1e-8;
    int epoch, remaining = L;
    for (epoch = 0; epoch < max_epochs && remaining > 0; epoch++) {
        for (int64_t i = m - 1; i > 0; i--) { int64_t j = next() % (i + 1); int64_t t = perm[i]; perm[i] = perm[j]; perm[j] = t; }
        for (int l = 0; l < LP; l++) Gmax[l] = 0, newton[l] = 0;
        for (int64_t s = 0; s < m; s++) {
            int64_t i = perm[s];
            double dot[LP] __attribute__((aligned(64)));
            for (int l = 0; l < LP; l++) dot[l] = 0;
            for (int64_t k = ptr[i]; k <= ptr[i + 1]; k++) {
                int64_t j = k < ptr[i + 1] ? idx[k] : d; double v = k < ptr[i + 1] ? val[k] : 1;
                const double *w = f->W + j * LP; for (int l = 0; l < LP; l++) dot[l] += v * w[l];
            }
            double delta[LP] __attribute__((aligned(64))); int any = 0;
            double a = qii[i];
            for (int l = 0; l < LP; l++) {
                delta[l] = 0;
                if (!active[l]) continue;
                f->subproblems++;
                int yl = Y[i * L + l]; double y = yl ? 1 : -1, u = f->U[yl][l];
                double b = y * dot[l];
                double *a1 = &f->A[i * LP + l], *a2 = &f->Ap[i * LP + l];
                double sign = 1;
                // Solve for whichever of alpha and C - alpha ends up below C / 2: precise logs.
                if (0.5 * a * (*a2 - *a1) + b < 0) { double *t = a1; a1 = a2; a2 = t; sign = -1; }
                double old = *a1, z = old;
                if (u - z < 0.5 * u) z = 0.1 * z;
                double gp = a * (z - old) + sign * b + log(z / (u - z));
                if (fabs(gp) > Gmax[l]) Gmax[l] = fabs(gp);
                int inner = 0;
                while (inner <= 100) {
                    if (fabs(gp) < innereps[l]) break;
                    double gpp = a + u / (u - z) / z, tz = z - gp / gpp;
                    z = tz <= 0 ? z * 0.1 : tz;
                    gp = a * (z - old) + sign * b + log(z / (u - z));
                    inner++;
                }
                newton[l] += inner;
                if (inner > 0) { *a1 = z; *a2 = u - z; delta[l] = sign * (z - old) * y; any = 1; }
            }
            if (!any) continue;
            for (int64_t k = ptr[i]; k <= ptr[i + 1]; k++) {
                int64_t j = k < ptr[i + 1] ? idx[k] : d; double v = k < ptr[i + 1] ? val[k] : 1;
                double *w = f->W + j * LP; for (int l = 0; l < LP; l++) w[l] += v * delta[l];
            }
        }
        for (int l = 0; l < L; l++) {
            if (!active[l]) continue;
            f->epochs[l]++;
            if (newton[l] <= m / 10) innereps[l] = fmax(innereps_min, 0.1 * innereps[l]);
            if (Gmax[l] < eps) { active[l] = 0; remaining--; }
        }
    }
    free(perm);
    return epoch;
}

static long label_epochs(const Fit *f, int *most) {
    long total = 0; *most = 0;
    for (int l = 0; l < L; l++) { total += f->epochs[l]; if (f->epochs[l] > *most) *most = f->epochs[l]; }
    return total;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: dual_cd_prototype DIR [EPS [FOLDS [FOLD_EPOCHS [RUNS]]]]\n"); return 2; }
    dir = argv[1];
    double C = 10, eps = argc > 2 ? atof(argv[2]) : 0.1;
    int folds = argc > 3 ? atoi(argv[3]) : 3, fold_epochs = argc > 4 ? atoi(argv[4]) : 0, runs = argc > 5 ? atoi(argv[5]) : 1;
    int64_t *shape = load("shape.bin");
    n = shape[0]; d = shape[1]; L = shape[3]; D = d + 1;
    if (L > LP) { fprintf(stderr, "at most %d labels\n", LP); return 2; }
    ptr = load("indptr.bin"); idx = load("indices.bin"); val = load("data.bin"); Y = load("y.bin");
    double t0 = now();
    qii = malloc(sizeof(double) * n);
    for (int64_t i = 0; i < n; i++) { double s = 1; for (int64_t k = ptr[i]; k < ptr[i + 1]; k++) s += val[k] * val[k]; qii[i] = s; }
    int64_t *all = malloc(sizeof(int64_t) * n); for (int64_t i = 0; i < n; i++) all[i] = i;
    Fit full; start(&full, all, n, C, NULL);
    int epochs = solve(&full, all, n, eps, 1000);
    double t1 = now(); int most;
    long total = label_epochs(&full, &most);
    printf("eps %g: %d lockstep epochs, %ld label-epochs (most %d), %ld subproblems, %.3f s (%.2f ms per lockstep epoch)\n",
           eps, epochs, total, most, full.subproblems, t1 - t0, (t1 - t0) * 1e3 / epochs);

    // Fold fits, warm-started from the full fit's duals.
    if (folds >= 2) {
        int64_t *order = malloc(sizeof(int64_t) * n), *rows = malloc(sizeof(int64_t) * n);
        double t2 = now(); long fold_total = 0, fold_subproblems = 0; int fold_lockstep = 0, fold_most = 0;
        for (int run = 0; run < runs; run++) {
        memcpy(order, all, sizeof(int64_t) * n);
        for (int64_t i = n - 1; i > 0; i--) { int64_t j = next() % (i + 1); int64_t t = order[i]; order[i] = order[j]; order[j] = t; }
        for (int k = 0; k < folds; k++) {
            int64_t m = 0;
            for (int64_t s = 0; s < n; s++) if (s % folds != k) rows[m++] = order[s];
            Fit fold; start(&fold, rows, m, C, &full);
            fold_lockstep += solve(&fold, rows, m, eps, fold_epochs > 0 ? fold_epochs : 1000);
            int fm; fold_total += label_epochs(&fold, &fm); if (fm > fold_most) fold_most = fm;
            fold_subproblems += fold.subproblems;
            free(fold.W); free(fold.A); free(fold.Ap);
        }
        }
        double t3 = now();
        printf("%d runs x %d fold fits from the full duals (at most %s epochs): %d lockstep epochs, %ld label-epochs (most %d), %ld subproblems, %.3f s\n",
               runs, folds, fold_epochs > 0 ? argv[4] : "unlimited", fold_lockstep, fold_total, fold_most, fold_subproblems, t3 - t2);
    }

    double fsum = 0;
    for (int l = 0; l < L; l++) {
        double f = 0; for (int64_t j = 0; j < D; j++) f += 0.5 * full.W[j * LP + l] * full.W[j * LP + l];
        for (int64_t i = 0; i < n; i++) {
            double mg = full.W[d * LP + l]; for (int64_t k = ptr[i]; k < ptr[i + 1]; k++) mg += val[k] * full.W[idx[k] * LP + l];
            int yl = Y[i * L + l]; double ym = (yl ? 1 : -1) * mg;
            f += full.U[yl][l] * (ym > 0 ? log1p(exp(-ym)) : -ym + log1p(exp(ym)));
        }
        fsum += f;
    }
    printf("sum of primal objectives %.6f\n", fsum);
    char out[4096]; snprintf(out, sizeof out, "%s/w.bin", dir);
    FILE *o = fopen(out, "wb"); fwrite(full.W, sizeof(double), D * LP, o); fclose(o);
    return 0;
}
