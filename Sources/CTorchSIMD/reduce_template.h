// The bodies of torch_reduce.c's loops, included once per (type, vector width) with the
// vector operations defined as macros: T, W (lanes), TARGET, VEC, LOADU, STOREU, ADD, SUB,
// MUL, SET1, ZERO, VMAX, VMIN, HSUM, HMAX, HMIN, ANYNAN, VEXP, SEXP, SLOG and NAME(x).

// Cascade sum: eight vector accumulators (enough loads in flight to keep up with memory)
// fold `step` blocks, whose sum enters level 1; every `step` level-1 additions flush into
// level 2, and so on.
#define SUM_BLOCK(q) \
    a0 = ADD(a0, LOADU(q)); a1 = ADD(a1, LOADU(q + W)); \
    a2 = ADD(a2, LOADU(q + 2 * W)); a3 = ADD(a3, LOADU(q + 3 * W)); \
    a4 = ADD(a4, LOADU(q + 4 * W)); a5 = ADD(a5, LOADU(q + 5 * W)); \
    a6 = ADD(a6, LOADU(q + 6 * W)); a7 = ADD(a7, LOADU(q + 7 * W));
#define SUM_ZERO a0 = ZERO; a1 = ZERO; a2 = ZERO; a3 = ZERO; a4 = ZERO; a5 = ZERO; a6 = ZERO; a7 = ZERO;
#define SUM_TOTAL ADD(ADD(ADD(a0, a1), ADD(a2, a3)), ADD(ADD(a4, a5), ADD(a6, a7)))
TARGET static T NAME(sum)(const T *p, long n) {
    const long block = 8 * W;
    const long blocks = n / block;
    VEC total = ZERO;
    if (blocks > 0) {
        const int power = st_cascade_power(blocks);
        const long step = 1L << power, mask = step - 1;
        VEC l1 = ZERO, l2 = ZERO, l3 = ZERO;
        VEC a0, a1, a2, a3, a4, a5, a6, a7;
        long b = 0;
        while (b + step <= blocks) {
            SUM_ZERO
            for (long k = b; k < b + step; k++) {
                const T *q = p + k * block;
                SUM_BLOCK(q)
            }
            b += step;
            l1 = ADD(l1, SUM_TOTAL);
            if (((b >> power) & mask) == 0) {
                l2 = ADD(l2, l1);
                l1 = ZERO;
                if (((b >> (2 * power)) & mask) == 0) {
                    l3 = ADD(l3, l2);
                    l2 = ZERO;
                }
            }
        }
        SUM_ZERO
        for (; b < blocks; b++) {
            const T *q = p + b * block;
            SUM_BLOCK(q)
        }
        total = ADD(SUM_TOTAL, ADD(l1, ADD(l2, l3)));
    }
    T tail = 0;
    for (long i = blocks * block; i < n; i++) tail += p[i];
    return HSUM(total) + tail;
}
#undef SUM_BLOCK
#undef SUM_ZERO
#undef SUM_TOTAL

// NaN-propagating maximum and minimum.
TARGET static T NAME(max)(const T *p, long n) {
    VEC m0 = SET1(-INFINITY), m1 = SET1(-INFINITY);
    int nan = 0;
    long i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        VEC v0 = LOADU(p + i), v1 = LOADU(p + i + W);
        nan |= ANYNAN(v0) | ANYNAN(v1);
        m0 = VMAX(m0, v0);
        m1 = VMAX(m1, v1);
    }
    T best = HMAX(VMAX(m0, m1));
    for (; i < n; i++) {
        if (p[i] != p[i]) nan = 1;
        if (p[i] > best) best = p[i];
    }
    return nan ? (T)NAN : best;
}

TARGET static T NAME(min)(const T *p, long n) {
    VEC m0 = SET1(INFINITY), m1 = SET1(INFINITY);
    int nan = 0;
    long i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        VEC v0 = LOADU(p + i), v1 = LOADU(p + i + W);
        nan |= ANYNAN(v0) | ANYNAN(v1);
        m0 = VMIN(m0, v0);
        m1 = VMIN(m1, v1);
    }
    T best = HMIN(VMIN(m0, m1));
    for (; i < n; i++) {
        if (p[i] != p[i]) nan = 1;
        if (p[i] < best) best = p[i];
    }
    return nan ? (T)NAN : best;
}

// Sum of exp(x - shift); when `y` is not NULL the exponentials are stored there too. The
// tail goes through the same vector exp on a padded copy (padding -inf adds nothing).
TARGET static T NAME(sum_exp)(const T *x, T *y, long n, T shift) {
    const VEC s = SET1(shift);
    VEC a0 = ZERO, a1 = ZERO;
    long i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        VEC e0 = VEXP(SUB(LOADU(x + i), s)), e1 = VEXP(SUB(LOADU(x + i + W), s));
        if (y) { STOREU(y + i, e0); STOREU(y + i + W, e1); }
        a0 = ADD(a0, e0);
        a1 = ADD(a1, e1);
    }
    for (; i < n; i += W) {
        T buf[W];
        long rest = n - i < W ? n - i : W;
        for (long k = 0; k < W; k++) buf[k] = k < rest ? x[i + k] : (T)-INFINITY;
        VEC e = VEXP(SUB(LOADU(buf), s));
        STOREU(buf, e);
        if (y) for (long k = 0; k < rest; k++) y[i + k] = buf[k];
        a0 = ADD(a0, e);
    }
    return HSUM(ADD(a0, a1));
}

TARGET static void NAME(softmax)(const T *x, T *y, long n) {
    const T maximum = NAME(max)(x, n);
    const T scale = 1 / NAME(sum_exp)(x, y, n, maximum);
    const VEC v = SET1(scale);
    long i = 0;
    for (; i + W <= n; i += W) STOREU(y + i, MUL(LOADU(y + i), v));
    for (; i < n; i++) y[i] *= scale;
}

TARGET static void NAME(log_softmax)(const T *x, T *y, long n) {
    const T maximum = NAME(max)(x, n);
    const T logsum = SLOG(NAME(sum_exp)(x, 0, n, maximum));
    const VEC m = SET1(maximum), l = SET1(logsum);
    long i = 0;
    for (; i + W <= n; i += W) STOREU(y + i, SUB(SUB(LOADU(x + i), m), l));
    for (; i < n; i++) y[i] = x[i] - maximum - logsum;
}

TARGET static T NAME(logsumexp)(const T *x, long n) {
    const T maximum = NAME(max)(x, n);
    // An infinite maximum is not subtracted (inf - inf would be NaN).
    const T shift = isinf(maximum) ? 0 : maximum;
    return SLOG(NAME(sum_exp)(x, 0, n, shift)) + shift;
}

// Column sums: `acc[j] += Σ_r p[r * rowStride + j]` for j < width, cascading over the rows
// (level accumulators stay in registers, one block of columns at a time).
TARGET static T NAME(column_sum_scalar)(const T *p, long rows, long rowStride) {
    const int power = st_cascade_power(rows);
    const long step = 1L << power, mask = step - 1;
    T l1 = 0, l2 = 0, l3 = 0, a = 0;
    long r = 0;
    while (r + step <= rows) {
        a = 0;
        for (long k = r; k < r + step; k++) a += p[k * rowStride];
        r += step;
        l1 += a;
        if (((r >> power) & mask) == 0) {
            l2 += l1; l1 = 0;
            if (((r >> (2 * power)) & mask) == 0) { l3 += l2; l2 = 0; }
        }
    }
    a = 0;
    for (; r < rows; r++) a += p[r * rowStride];
    return a + l1 + l2 + l3;
}

#define COLUMN_BLOCK(K) \
    for (; j + K * W <= width; j += K * W) { \
        VEC l1[K], l2[K], l3[K], a[K]; \
        for (int k = 0; k < K; k++) { l1[k] = ZERO; l2[k] = ZERO; l3[k] = ZERO; } \
        long r = 0; \
        while (r + step <= rows) { \
            for (int k = 0; k < K; k++) a[k] = ZERO; \
            for (long q = r; q < r + step; q++) { \
                const T *row = p + q * rowStride + j; \
                for (int k = 0; k < K; k++) a[k] = ADD(a[k], LOADU(row + k * W)); \
            } \
            r += step; \
            for (int k = 0; k < K; k++) l1[k] = ADD(l1[k], a[k]); \
            if (((r >> power) & mask) == 0) { \
                for (int k = 0; k < K; k++) { l2[k] = ADD(l2[k], l1[k]); l1[k] = ZERO; } \
                if (((r >> (2 * power)) & mask) == 0) { \
                    for (int k = 0; k < K; k++) { l3[k] = ADD(l3[k], l2[k]); l2[k] = ZERO; } \
                } \
            } \
        } \
        for (int k = 0; k < K; k++) a[k] = ZERO; \
        for (; r < rows; r++) { \
            const T *row = p + r * rowStride + j; \
            for (int k = 0; k < K; k++) a[k] = ADD(a[k], LOADU(row + k * W)); \
        } \
        for (int k = 0; k < K; k++) { \
            VEC t = ADD(ADD(a[k], l1[k]), ADD(l2[k], l3[k])); \
            STOREU(acc + j + k * W, ADD(LOADU(acc + j + k * W), t)); \
        } \
    }

TARGET static void NAME(add_rows)(T *acc, const T *p, long width, long rows, long rowStride) {
    const int power = st_cascade_power(rows);
    const long step = 1L << power, mask = step - 1;
    long j = 0;
    COLUMN_BLOCK(4)
    COLUMN_BLOCK(1)
    for (; j < width; j++) acc[j] += NAME(column_sum_scalar)(p + j, rows, rowStride);
}
#undef COLUMN_BLOCK

// Column maxima/minima: `acc[j] = max(acc[j], p[r * rowStride + j])`, NaN-propagating
// (a NaN accumulator stays NaN; a NaN element makes it NaN).
#define EXTREMUM_ROWS(fname, VOP, CMP) \
TARGET static void NAME(fname)(T *acc, const T *p, long width, long rows, long rowStride) { \
    long j = 0; \
    for (; j + 4 * W <= width; j += 4 * W) { \
        VEC m[4]; int nan[4] = {0, 0, 0, 0}; \
        for (int k = 0; k < 4; k++) { m[k] = LOADU(acc + j + k * W); nan[k] = ANYNAN(m[k]); } \
        for (long r = 0; r < rows; r++) { \
            const T *row = p + r * rowStride + j; \
            for (int k = 0; k < 4; k++) { VEC v = LOADU(row + k * W); nan[k] |= ANYNAN(v); m[k] = VOP(m[k], v); } \
        } \
        for (int k = 0; k < 4; k++) { \
            if (nan[k]) { \
                /* Rare: redo these columns one by one so each gets its own NaN. */ \
                for (long c = j + k * W; c < j + (k + 1) * W; c++) { \
                    T b = acc[c]; \
                    for (long r = 0; r < rows && b == b; r++) { T x = p[r * rowStride + c]; if (x != x || x CMP b) b = x; } \
                    acc[c] = b; \
                } \
            } else { \
                STOREU(acc + j + k * W, m[k]); \
            } \
        } \
    } \
    for (; j + W <= width; j += W) { \
        VEC m = LOADU(acc + j); int nan = ANYNAN(m); \
        for (long r = 0; r < rows; r++) { VEC v = LOADU(p + r * rowStride + j); nan |= ANYNAN(v); m = VOP(m, v); } \
        if (nan) { \
            for (long c = j; c < j + W; c++) { \
                T b = acc[c]; \
                for (long r = 0; r < rows && b == b; r++) { T x = p[r * rowStride + c]; if (x != x || x CMP b) b = x; } \
                acc[c] = b; \
            } \
        } else { \
            STOREU(acc + j, m); \
        } \
    } \
    for (; j < width; j++) { \
        T b = acc[j]; \
        for (long r = 0; r < rows && b == b; r++) { T x = p[r * rowStride + j]; if (x != x || x CMP b) b = x; } \
        acc[j] = b; \
    } \
}
EXTREMUM_ROWS(max_rows, VMAX, >)
EXTREMUM_ROWS(min_rows, VMIN, <)
#undef EXTREMUM_ROWS

// Product with eight interleaved partial products.
TARGET static T NAME(prod)(const T *p, long n) {
    const VEC one = SET1(1);
    VEC a0 = one, a1 = one;
    long i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        a0 = MUL(a0, LOADU(p + i));
        a1 = MUL(a1, LOADU(p + i + W));
    }
    T lanes[W];
    STOREU(lanes, MUL(a0, a1));
    T result = 1;
    for (long k = 0; k < W; k++) result *= lanes[k];
    for (; i < n; i++) result *= p[i];
    return result;
}
