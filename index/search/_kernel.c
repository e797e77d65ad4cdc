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

/* One term's postings in one block of one channel, read a chunk of rows at a time. */
typedef struct {
    const char *docs, *tf;
    Py_ssize_t ds, ts;  /* item sizes: int32 or int64 documents; uint16, int32 or int64 counts */
    int64_t pos, end;
    double f, k1, k1p1;  /* the term's factor (idf × weight); the channel's k1, k1 + 1 */
    const double *norm;
    int64_t n_norm, n_docs;  /* norms; postings in the block */
    int c;  /* the channel: 0 words, 1 grams */
} Cursor;

typedef struct {
    Cursor *cursor;
    Py_ssize_t n_cursors, cap_cursors;
    /* every buffer taken, released at the end; each its own allocation, so that a pointer to
       one stays valid while more are taken (a Py_buffer must not move while it is in use) */
    Py_buffer **view;
    Py_ssize_t n_views, cap_views;
} Reading;

static int add_cursor(Reading *r, Cursor u) {
    if (r->n_cursors == r->cap_cursors) {
        Py_ssize_t cap = r->cap_cursors ? 2 * r->cap_cursors : 64;
        Cursor *c = realloc(r->cursor, (size_t)cap * sizeof(Cursor));
        if (!c) {
            PyErr_NoMemory();
            return -1;
        }
        r->cursor = c, r->cap_cursors = cap;
    }
    r->cursor[r->n_cursors++] = u;
    return 0;
}

/* Takes a buffer (PyArg "y*") from `obj` into r's list; NULL with an exception set. */
static Py_buffer *view_of(Reading *r, PyObject *obj) {
    if (r->n_views == r->cap_views) {
        Py_ssize_t cap = r->cap_views ? 2 * r->cap_views : 16;
        Py_buffer **grown = realloc(r->view, (size_t)cap * sizeof(Py_buffer *));
        if (!grown)
            return (Py_buffer *)PyErr_NoMemory();
        r->view = grown, r->cap_views = cap;
    }
    Py_buffer *v = malloc(sizeof(Py_buffer));
    if (!v)
        return (Py_buffer *)PyErr_NoMemory();
    if (PyObject_GetBuffer(obj, v, PyBUF_C_CONTIGUOUS) < 0) {
        free(v);
        return NULL;
    }
    r->view[r->n_views++] = v;
    return v;
}

/* The first position in [a, e) of a sorted array of `size`-byte integers holding at least `value`. */
static int64_t lower_bound(const char *base, Py_ssize_t size, int64_t a, int64_t e, int64_t value) {
    while (a < e) {
        int64_t mid = a + (e - a) / 2;
        if (read_int(base, size, mid) < value)
            a = mid + 1;
        else
            e = mid;
    }
    return a;
}

/* One block's postings of term `term` with documents in [first, end), as a cursor (none when
   the block lacks it): Postings.slices' spans, found here rather than by a dozen numpy calls
   a question. */
static int add_term(Reading *r, const Cursor *proto, const Py_buffer *terms, const Py_buffer *ptr,
                    int64_t term, int64_t first, int64_t end) {
    Py_ssize_t n = terms->len / 8;
    int64_t i = lower_bound(terms->buf, 8, 0, n, term);
    if (i == n || ((const int64_t *)terms->buf)[i] != term)
        return 0;
    int64_t a = ((const int64_t *)ptr->buf)[i], e = ((const int64_t *)ptr->buf)[i + 1];
    Cursor u = *proto;
    if (a < 0 || a > e || e > u.n_docs) {
        PyErr_SetString(PyExc_ValueError, "a term's postings past the block's");
        return -1;
    }
    u.pos = lower_bound(u.docs, u.ds, a, e, first);
    u.end = lower_bound(u.docs, u.ds, u.pos, e, end);
    return u.pos < u.end ? add_cursor(r, u) : 0;
}

/* A channel (norm, k1, factors, term ids, [(terms, ptr, docs, counts), …]) as cursors over its
   postings of documents in [first, end), term after term within each block, block after block
   (the order np.bincount adds them in). */
static int read_channel(Reading *r, PyObject *channel, int c, int64_t first, int64_t end) {
    PyObject *norm_o, *factors_o, *wanted_o, *blocks;
    double k1;
    if (!PyArg_ParseTuple(channel, "OdOOO", &norm_o, &k1, &factors_o, &wanted_o, &blocks))
        return -1;
    Py_buffer *norm = view_of(r, norm_o), *factors = norm ? view_of(r, factors_o) : NULL;
    Py_buffer *wanted = factors ? view_of(r, wanted_o) : NULL;
    if (!wanted)
        return -1;
    Py_ssize_t n_terms = factors->len / (Py_ssize_t)sizeof(double);
    if (wanted->len != n_terms * 8 || wanted->itemsize != 8) {
        PyErr_SetString(PyExc_ValueError, "a factor for each term id, int64 ids");
        return -1;
    }
    PyObject *seq = PySequence_Fast(blocks, "blocks must be a sequence");
    if (!seq)
        return -1;
    int ok = 0;
    for (Py_ssize_t b = 0; ok == 0 && b < PySequence_Fast_GET_SIZE(seq); b++) {
        PyObject *terms_o, *ptr_o, *docs_o, *tf_o;
        Py_buffer *terms, *ptr, *docs, *tf;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, b), "OOOO", &terms_o, &ptr_o, &docs_o, &tf_o)
            || !(terms = view_of(r, terms_o)) || !(ptr = view_of(r, ptr_o)) || !(docs = view_of(r, docs_o))
            || !(tf = view_of(r, tf_o))) {
            ok = -1;
            break;
        }
        Py_ssize_t ds = docs->itemsize, ts = tf->itemsize;
        if (terms->itemsize != 8 || ptr->itemsize != 8 || ptr->len != terms->len + 8 || (ds != 4 && ds != 8)
            || (ts != 2 && ts != 4 && ts != 8) || docs->len / ds != tf->len / ts) {
            PyErr_SetString(PyExc_ValueError, "a block of the wrong shape, or postings of an unknown type");
            ok = -1;
            break;
        }
        Cursor proto = {docs->buf, tf->buf, ds, ts, 0, 0, 0, k1, k1 + 1, norm->buf,
                        norm->len / (Py_ssize_t)sizeof(double), docs->len / ds, c};
        for (Py_ssize_t t = 0; ok == 0 && t < n_terms; t++) {
            proto.f = ((const double *)factors->buf)[t];
            ok = add_term(r, &proto, terms, ptr, ((const int64_t *)wanted->buf)[t], first, end);
        }
    }
    Py_DECREF(seq);
    return ok;
}

/* One posting's weight, as BM25.saturation and BM25._weights compute it, added to its row's
   sum of the cursor's channel: the same operations in the same order as numpy's, so the
   same bits. Returns -1 when the document lies outside [first, limit) (bad input). A row
   outside the mask is skipped: its sums are never read (a section question's mask holds a
   tenth of the rows, so most of its postings cost a look-up instead of a division). */
#define ADD_POSTING(DOC, TF)                                                                  \
    {                                                                                         \
        int64_t doc = (DOC);                                                                  \
        if (doc < first || doc >= limit)                                                      \
            return -1;                                                                        \
        if (!mask[doc])                                                                       \
            continue;                                                                         \
        double w = (double)(TF);                                                              \
        double d = u->norm[doc] * u->k1;                                                      \
        d = d + w;                                                                            \
        w = w * u->k1p1;                                                                      \
        w = w / d;                                                                            \
        w = w * u->f;                                                                         \
        double *sum = acc + 2 * (doc - first);                                                \
        if (sum[0] == 0 && sum[1] == 0) /* weights are > 0: first reached (rank.py checks) */  \
            touched[n_touched++] = doc - first;                                               \
        sum[u->c] += w;                                                                       \
    }

/* The cursor's postings of documents below `hi`; -1 on a document outside the rows. */
static int advance(Cursor *u, int64_t hi, int64_t first, int64_t end, const char *mask) {
    int64_t limit = end < u->n_norm ? end : u->n_norm;
    if (u->ds == 4 && u->ts == 2) { /* int32 documents, uint16 counts: all but freak corpora */
        const int32_t *docs = (const int32_t *)u->docs;
        const uint16_t *tf = (const uint16_t *)u->tf;
        for (; u->pos < u->end && docs[u->pos] < hi; u->pos++)
            ADD_POSTING(docs[u->pos], tf[u->pos])
    } else {
        for (; u->pos < u->end && read_int(u->docs, u->ds, u->pos) < hi; u->pos++)
            ADD_POSTING(read_int(u->docs, u->ds, u->pos), read_int(u->tf, u->ts, u->pos))
    }
    return 0;
}

/* Every cursor's postings added up, `chunk` rows at a time: each term's postings ascend, so
   a chunk is a run of each, and the rows' sums and norms being added to stay in the cache
   (at 100k rows they are 3 MB, read at random). A row's sums get their terms in the same
   order as when each term is read whole: the order of the cursors. */
static int accumulate(Reading *r, int64_t first, int64_t end, int64_t chunk, const char *mask) {
    for (int64_t lo = first; lo < end; lo += chunk) {
        int64_t hi = end - lo > chunk ? lo + chunk : end;
        for (Py_ssize_t i = 0; i < r->n_cursors; i++)
            if (advance(&r->cursor[i], hi, first, end, mask) < 0)
                goto bad;
    }
    for (Py_ssize_t i = 0; i < r->n_cursors; i++)
        if (r->cursor[i].pos < r->cursor[i].end)  /* documents from `end` on */
            goto bad;
    return 0;
bad:
    PyErr_SetString(PyExc_ValueError, "postings outside the rows");
    return -1;
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

/* scored(word, gram, mask, first, end, k, word_share, out_rows, out_scores, out_words, out_grams
   [, chunk]) → how many rows were written; chunk: rows summed at a time (tests make it small).
   word, gram: (norm, k1, factors, term ids, [(terms, ptr, docs, counts), …]): each term's
   factor (float64) and id (int64), and the postings blocks as Postings holds them; only
   documents in [first, end) are read. mask: bool per row of the corpus. As rank._scored: the rows either channel reaches within mask, each
   channel's sums divided by its best among them times its share, fused, the k best by
   fused score with ties in row order. */
static PyObject *scored(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *channels[2];
    Py_buffer mask_b, out_b[4];
    long long first, end;
    Py_ssize_t k;
    double word_share;
    long long chunk = 16384;
    if (!PyArg_ParseTuple(args, "OOy*LLndw*w*w*w*|L", &channels[0], &channels[1], &mask_b, &first, &end,
                          &k, &word_share, &out_b[0], &out_b[1], &out_b[2], &out_b[3], &chunk))
        return NULL;
    PyObject *result = NULL;
    Hit *best = NULL;
    Reading reading = {0};
    int64_t size = end - first;
    n_touched = 0;
    if (first < 0 || size < 0 || end > mask_b.len || k < 0 || chunk < 1
        || out_b[0].len < k * 8 || out_b[1].len < k * 8 || out_b[2].len < k * 8 || out_b[3].len < k * 8) {
        PyErr_SetString(PyExc_ValueError, "rows, mask or outputs of the wrong size");
        goto done;
    }
    if (reserve(size) < 0 || read_channel(&reading, channels[0], 0, first, end) < 0
        || read_channel(&reading, channels[1], 1, first, end) < 0
        || accumulate(&reading, first, end, chunk, (const char *)mask_b.buf) < 0)
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
    for (Py_ssize_t i = 0; i < reading.n_views; i++) {
        PyBuffer_Release(reading.view[i]);
        free(reading.view[i]);
    }
    free(reading.view);
    free(reading.cursor);
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
