/* The scoring loop of rank._scored in one pass, for the ask path at 100k items.

   numpy spends most of a question's ranking on passes over the postings and over row-sized
   arrays (make floats, saturate, scale, bincount, mark, gather, max, scale, add, select:
   each one a loop and a temporary). This does the same arithmetic, operation for operation
   and in the same order, in one loop over the postings and one over the rows, so that the
   rows, scores and tie order are bit for bit those of rank_full (tests/index/search/
   test_kernel.py). It is built by `pip install` where a C compiler is at hand (setup.py,
   optional); without it rank.py scores with numpy and says nothing.

   Why not a package: numba costs ~0.3 s of import and a compile per process (the one-shot
   `planbot ask` has 0.35 s in all), and no wheel on PyPI has this exact loop. The module uses
   only the buffer protocol, so it needs no numpy headers to build.

   Compile with -ffp-contract=off (setup.py): a fused multiply-add would round once where numpy
   rounds twice, and the scores would differ in their last bit. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    double score, word, gram;
    int64_t row;
} Hit;

/* a worse than b: a lower score, or the same score and a later row (ties go in row order) */
static int worse(const Hit *a, const Hit *b) {
    return a->score < b->score || (a->score == b->score && a->row > b->row);
}

static int64_t read_int(const char *base, Py_ssize_t size, Py_ssize_t i) {
    switch (size) {
    case 2: return ((const uint16_t *)base)[i];
    case 4: return ((const int32_t *)base)[i];
    default: return ((const int64_t *)base)[i];
    }
}

/* Scratch kept between calls, zero between calls: a fresh row-sized array per question costs
   its page faults (on this sandbox ~1 ms at 100k rows, more than the scoring). Each row's two
   channel sums lie side by side; `touched` lists the rows reached, so that neither the fusing
   nor the clearing reads the rows no posting reached. Only used while holding the GIL. */
static double *acc = NULL;
static int64_t *touched = NULL;
static int64_t capacity = 0, n_touched = 0;

static int reserve(int64_t size) {
    if (size <= capacity)
        return 0;
    double *a = calloc((size_t)size * 2, sizeof(double));
    int64_t *t = malloc((size_t)size * sizeof(int64_t));
    if (!a || !t) {
        free(a);
        free(t);
        PyErr_NoMemory();
        return -1;
    }
    free(acc);
    free(touched);
    acc = a, touched = t, capacity = size;
    return 0;
}

/* One posting's weight, as BM25.saturation and BM25._weights compute it, added to its row's
   sum of channel c (np.bincount's order: posting after posting). */
#define ADD_ONE(DOC, TF)                                                                     \
    {                                                                                        \
        int64_t doc = (DOC);                                                                 \
        if ((uint64_t)(doc - first) >= (uint64_t)rows) { /* outside the rows or the norms */   \
            bad = 1;                                                                         \
            break;                                                                           \
        }                                                                                    \
        double w = (double)(TF);                                                             \
        double d = norm[doc] * k1;                                                           \
        d = d + w;                                                                           \
        w = w * k1p1;                                                                        \
        w = w / d;                                                                           \
        w = w * f;                                                                           \
        double *sum = acc + 2 * (doc - first);                                               \
        if (sum[0] == 0 && sum[1] == 0) /* weights are > 0: first reached (rank.py checks) */ \
            touched[n_touched++] = doc - first;                                              \
        sum[c] += w;                                                                         \
    }
#define ADD(D, T)                                                                            \
    {                                                                                        \
        D *docs = (D *)docs_b.buf;                                                           \
        T *tf = (T *)tf_b.buf;                                                               \
        for (int64_t p = a; p < e; p++)                                                      \
            ADD_ONE(docs[p], tf[p])                                                          \
    }

/* One channel's weights added into acc (rows counted from `first`): for each block, for each
   term, for each posting in the term's span of that block, what BM25.saturation gives times the
   term's factor, as BM25._weights computes it and np.bincount adds it (posting order). */
static int accumulate(PyObject *channel, int c, int64_t first, int64_t end) {
    PyObject *blocks;
    Py_buffer norm_b, factors_b;
    double k1;
    if (!PyArg_ParseTuple(channel, "y*dy*O", &norm_b, &k1, &factors_b, &blocks))
        return -1;
    int ok = -1;
    const double *norm = (const double *)norm_b.buf;
    const double *factor = (const double *)factors_b.buf;
    Py_ssize_t n_terms = factors_b.len / (Py_ssize_t)sizeof(double);
    Py_ssize_t n_norm = norm_b.len / (Py_ssize_t)sizeof(double);
    double k1p1 = k1 + 1;
    int64_t rows = (end < n_norm ? end : n_norm) - first;
    PyObject *seq = PySequence_Fast(blocks, "blocks must be a sequence");
    if (!seq)
        goto done;
    for (Py_ssize_t b = 0; b < PySequence_Fast_GET_SIZE(seq); b++) {
        Py_buffer docs_b, tf_b, spans_b;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, b), "y*y*y*", &docs_b, &tf_b, &spans_b))
            goto done_seq;
        const int64_t *spans = (const int64_t *)spans_b.buf;
        Py_ssize_t ds = docs_b.itemsize, ts = tf_b.itemsize;
        int bad = spans_b.len != n_terms * 2 * (Py_ssize_t)sizeof(int64_t)
                  || (ds != 4 && ds != 8) || (ts != 2 && ts != 4 && ts != 8);
        for (Py_ssize_t t = 0; !bad && t < n_terms; t++) {
            int64_t a = spans[2 * t], e = spans[2 * t + 1];
            if (a < 0 || e > docs_b.len / ds || e > tf_b.len / ts) {
                bad = 1;
                break;
            }
            double f = factor[t];
            if (ds == 4 && ts == 2)  /* int32 documents, uint16 counts: all but freak corpora */
                ADD(const int32_t, const uint16_t)
            else
                for (int64_t p = a; p < e; p++)
                    ADD_ONE(read_int(docs_b.buf, ds, p), read_int(tf_b.buf, ts, p))
        }
        PyBuffer_Release(&docs_b);
        PyBuffer_Release(&tf_b);
        PyBuffer_Release(&spans_b);
        if (bad) {
            PyErr_SetString(PyExc_ValueError, "postings outside the rows or of an unknown type");
            goto done_seq;
        }
    }
    ok = 0;
done_seq:
    Py_DECREF(seq);
done:
    PyBuffer_Release(&norm_b);
    PyBuffer_Release(&factors_b);
    return ok;
}

/* Insert h into the k best so far (best first, at most k), if it belongs there. */
static void keep(Hit *best, Py_ssize_t *n, Py_ssize_t k, Hit h) {
    if (*n == k && !worse(&best[k - 1], &h))
        return;
    Py_ssize_t i = *n < k ? (*n)++ : k - 1;
    while (i > 0 && worse(&best[i - 1], &h)) {
        best[i] = best[i - 1];
        i--;
    }
    best[i] = h;
}

/* scored(word, gram, mask, first, end, k, word_share, out_rows, out_scores, out_words, out_grams)
   → how many rows were written. word, gram: (norm, k1, factors, [(docs, tf, spans), …]) with
   factors float64 per term and spans int64 (start, end) per term per block; mask: bool per
   row of the corpus. As rank._scored: the rows either channel reaches within mask, each
   channel's sums divided by its best among them times its share, fused, the k best by
   fused score with ties in row order. */
static PyObject *scored(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *channels[2];
    Py_buffer mask_b, out_b[4];
    long long first, end;
    Py_ssize_t k;
    double word_share;
    if (!PyArg_ParseTuple(args, "OOy*LLndw*w*w*w*", &channels[0], &channels[1], &mask_b, &first, &end,
                          &k, &word_share, &out_b[0], &out_b[1], &out_b[2], &out_b[3]))
        return NULL;
    PyObject *result = NULL;
    Hit *best = NULL;
    int64_t size = end - first;
    n_touched = 0;
    if (first < 0 || size < 0 || end > mask_b.len || k < 0
        || out_b[0].len < k * 8 || out_b[1].len < k * 8 || out_b[2].len < k * 8 || out_b[3].len < k * 8) {
        PyErr_SetString(PyExc_ValueError, "rows, mask or outputs of the wrong size");
        goto done;
    }
    if (reserve(size) < 0 || accumulate(channels[0], 0, first, end) < 0 || accumulate(channels[1], 1, first, end) < 0)
        goto done;
    const char *mask = (const char *)mask_b.buf + first;
    double top[2] = {0, 0};
    for (int64_t t = 0; t < n_touched; t++) {
        const double *sum = acc + 2 * touched[t];
        if (mask[touched[t]]) {
            if (sum[0] > top[0]) top[0] = sum[0];
            if (sum[1] > top[1]) top[1] = sum[1];
        }
    }
    /* as rank._sums: sums * (share / top), the factor computed once; unchanged when top is 0 */
    double scale[2] = {top[0] > 0 ? word_share / top[0] : 1, top[1] > 0 ? (1 - word_share) / top[1] : 1};
    best = malloc((k ? (size_t)k : 1) * sizeof(Hit));
    if (!best) {
        PyErr_NoMemory();
        goto done;
    }
    /* keep() orders by (score, row) alone, so the touched rows can come in any order */
    Py_ssize_t n = 0;
    for (int64_t t = 0; k && t < n_touched; t++) {
        const double *sum = acc + 2 * touched[t];
        if (mask[touched[t]]) {
            Hit h;
            h.word = top[0] > 0 ? sum[0] * scale[0] : sum[0];
            h.gram = top[1] > 0 ? sum[1] * scale[1] : sum[1];
            h.score = h.word + h.gram;
            h.row = touched[t] + first;
            keep(best, &n, k, h);
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        ((int64_t *)out_b[0].buf)[i] = best[i].row;
        ((double *)out_b[1].buf)[i] = best[i].score;
        ((double *)out_b[2].buf)[i] = best[i].word;
        ((double *)out_b[3].buf)[i] = best[i].gram;
    }
    result = PyLong_FromSsize_t(n);
done:
    for (int64_t t = 0; t < n_touched; t++)  /* the scratch zero again, also after an error */
        acc[2 * touched[t]] = acc[2 * touched[t] + 1] = 0;
    n_touched = 0;
    free(best);
    PyBuffer_Release(&mask_b);
    for (int i = 0; i < 4; i++)
        PyBuffer_Release(&out_b[i]);
    return result;
}

static PyMethodDef methods[] = {
    {"scored", scored, METH_VARARGS, "rank._scored's rows, scores and order in one pass (see the source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, .m_name = "_kernel", .m_size = -1, .m_methods = methods};

PyMODINIT_FUNC PyInit__kernel(void) { return PyModule_Create(&module); }
