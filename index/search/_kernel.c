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

   Where a question holds a very common term of low bound, the kernel may leave its postings
   unread (exact pruning, MaxScore-like: see "pruning" below), with the same rows, floats and
   tie order (tests/index/search/test_maxscore.py checks both ways bit for bit).

   Compile with -ffp-contract=off (setup.py): a fused multiply-add would round once where numpy
   rounds twice, and the scores would differ in their last bit. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <math.h>
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
    Py_ssize_t t;  /* the term's place in its channel's query */
    int64_t lo;  /* the first posting of the span (pos moves on as they are added) */
    int64_t hint;  /* where the last look-up ended (`looked_up`) */
} Cursor;

/* A channel's query terms, for the pruning: each term's bound (BM25.bounds: the most it adds
   to any row, with a margin), its postings in the span, and whether they are skipped. */
typedef struct {
    Py_ssize_t n;
    double *bound;  /* NULL: no statistics given, nothing of this channel is skipped */
    int64_t *postings;
    char *skipped;
    int partial;  /* a term was skipped: the scratch's sums are partial (or out of query order) */
} Terms;

typedef struct {
    Cursor *cursor;
    Py_ssize_t n_cursors, cap_cursors;
    /* every buffer taken, released at the end; each its own allocation, so that a pointer to
       one stays valid while more are taken (a Py_buffer must not move while it is in use) */
    Py_buffer **view;
    Py_ssize_t n_views, cap_views;
    Terms term[2];
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
    u.hint = u.lo = u.pos = lower_bound(u.docs, u.ds, a, e, first);
    u.end = lower_bound(u.docs, u.ds, u.pos, e, end);
    r->term[u.c].postings[u.t] += u.end - u.pos;
    return u.pos < u.end ? add_cursor(r, u) : 0;
}

/* Each term's bound as BM25.bounds computes it, operation for operation: its highest count
   (tf_top, int64 per term id) in its shortest document (len_low, float64), saturated, times its
   factor and 1 + 1e-9. In C: numpy's dozen small calls cost ~15 µs a channel, most questions. */
static int bounds_of(Reading *r, Terms *m, PyObject *stats, double k1, const double *factor, const int64_t *id) {
    PyObject *top_o, *low_o;
    double b, avgdl;
    Py_buffer *top, *low;
    if (!PyArg_ParseTuple(stats, "OOdd", &top_o, &low_o, &b, &avgdl) || !(top = view_of(r, top_o))
        || !(low = view_of(r, low_o)))
        return -1;
    if (top->itemsize != 8 || low->itemsize != 8 || top->len != low->len) {
        PyErr_SetString(PyExc_ValueError, "tf_top (int64) and len_low (float64) per term id");
        return -1;
    }
    if (!(m->bound = malloc((m->n ? (size_t)m->n : 1) * sizeof(double)))) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t t = 0; t < m->n; t++) {
        if (id[t] < 0 || id[t] >= top->len / 8) {
            PyErr_SetString(PyExc_ValueError, "a term id past tf_top");
            return -1;
        }
        double tf = (double)((const int64_t *)top->buf)[id[t]], x = b * ((const double *)low->buf)[id[t]];
        x = x / avgdl;
        double norm = (1 - b) + x, w = norm * k1 + tf;
        tf = tf * (k1 + 1);
        m->bound[t] = tf / w * factor[t] * (1 + 1e-9);
    }
    return 0;
}

/* A channel (norm, k1, factors, term ids, [(terms, ptr, docs, counts), …][, stats]) as cursors
   over its postings of documents in [first, end), term after term within each block, block
   after block (the order np.bincount adds them in). stats: (tf_top, len_low, b, avgdl), what
   the terms' bounds are computed from (`bounds_of`), or None: then every posting of the
   channel is added. */
static int read_channel(Reading *r, PyObject *channel, int c, int64_t first, int64_t end) {
    PyObject *norm_o, *factors_o, *wanted_o, *blocks, *stats = Py_None;
    double k1;
    if (!PyArg_ParseTuple(channel, "OdOOO|O", &norm_o, &k1, &factors_o, &wanted_o, &blocks, &stats))
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
    Terms *terms_c = &r->term[c];
    terms_c->n = n_terms;
    terms_c->postings = calloc(n_terms ? (size_t)n_terms : 1, sizeof(int64_t));
    terms_c->skipped = calloc(n_terms ? (size_t)n_terms : 1, 1);
    if (!terms_c->postings || !terms_c->skipped) {
        PyErr_NoMemory();
        return -1;
    }
    if (stats != Py_None && bounds_of(r, terms_c, stats, k1, factors->buf, wanted->buf) < 0)
        return -1;
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
                        norm->len / (Py_ssize_t)sizeof(double), docs->len / ds, c, 0, 0, 0};
        for (Py_ssize_t t = 0; ok == 0 && t < n_terms; t++) {
            proto.f = ((const double *)factors->buf)[t];
            proto.t = t;
            ok = add_term(r, &proto, terms, ptr, ((const int64_t *)wanted->buf)[t], first, end);
        }
    }
    Py_DECREF(seq);
    return ok;
}

/* A posting's weight: count tf in document doc, as BM25.saturation and BM25._weights compute
   it, operation for operation (so the same bits wherever it is computed here). */
static inline double weight(const Cursor *u, int64_t doc, double tf) {
    double d = u->norm[doc] * u->k1;
    d = d + tf;
    double w = tf * u->k1p1;
    w = w / d;
    return w * u->f;
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
        double w = weight(u, doc, (double)(TF));                                              \
        double *sum = acc + 2 * (doc - first);                                                \
        if (sum[0] == 0 && sum[1] == 0) /* weights are > 0: first reached (rank.py checks) */  \
            touched[n_touched++] = doc - first;                                               \
        sum[u->c] += w;                                                                       \
    }

/* The cursor's postings of documents below `hi`; -1 on a document outside the rows. */
static inline int advance(Cursor *u, int64_t hi, int64_t first, int64_t end, const char *mask) {
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

static int skipped(const Reading *r, const Cursor *u) {
    return r->term[u->c].skipped[u->t];
}

/* Every cursor's postings added up, `chunk` rows at a time: each term's postings ascend, so
   a chunk is a run of each, and the rows' sums and norms being added to stay in the cache
   (at 100k rows they are 3 MB, read at random). A row's sums get their terms in the same
   order as when each term is read whole: the order of the cursors. A skipped term's postings
   are left (see `pruned`); m, most: `best_partial`'s (when not NULL). */
static void best_partial(int64_t from, int64_t m[2], double most[2]);

static int accumulate(Reading *r, int64_t first, int64_t end, int64_t chunk, const char *mask, int64_t m[2],
                      double most[2]) {
    for (int64_t lo = first; lo < end; lo += chunk) {
        int64_t hi = end - lo > chunk ? lo + chunk : end, from = n_touched;
        for (Py_ssize_t i = 0; i < r->n_cursors; i++)
            if (!skipped(r, &r->cursor[i]) && advance(&r->cursor[i], hi, first, end, mask) < 0)
                goto bad;
        if (m)  /* the chunk's rows' sums are complete: their best while they are in the cache */
            best_partial(from, m, most);
    }
    for (Py_ssize_t i = 0; i < r->n_cursors; i++)
        if (!skipped(r, &r->cursor[i]) && r->cursor[i].pos < r->cursor[i].end)  /* documents from `end` on */
            goto bad;
    return 0;
bad:
    PyErr_SetString(PyExc_ValueError, "postings outside the rows");
    return -1;
}

/* Insert h into the k best so far (best first, at most k), if it belongs there. */
static inline void keep(Hit *best, Py_ssize_t *n, Py_ssize_t k, Hit h) {
    if (*n == k && !worse(&best[k - 1], &h))
        return;
    Py_ssize_t i = *n < k ? (*n)++ : k - 1;
    while (i > 0 && worse(&best[i - 1], &h)) {
        best[i] = best[i - 1];
        i--;
    }
    best[i] = h;
}

/* -- pruning ------------------------------------------------------------------------------

   A question's commonest terms (工作, 推进 and their grams: tens of thousands of postings each at
   100k items) mostly have a low bound: they add little to any row. The kernel may skip their
   postings (`choose_skips`) and add up only the others', if the rows it then misses cannot
   matter, which it checks once the others are added (`pruned`):
   - each channel's top, the best full sum of a masked row, is at least θ, the full sum of
     the row with the best partial sum; a row reached by skipped terms only sums at most the
     skipped terms' bounds (`rest`), and a reached row at most its partial sum plus `rest`: when
     rest is below θ the top is the best full sum of the reached rows within reach of θ;
   - likewise for the fused score with the channels' scales known: θ is the k-th best full
     score of the k rows with the best partial scores; rows whose bound reaches θ are scored
     in full and kept as `scored` keeps them.
   A row within reach of a bar by its bound has its skipped terms looked up first (`near_sum`:
   its full sum within rounding); only a row whose near sum reaches the bar is summed in full,
   as the full pass sums it (`exact_sum`: every cursor in order, each looked up), so scores
   are the same floats, and every row that could tie at the k-th place is scored, so the tie
   order is the same too. The checks use inequalities with margins far above rounding (MARGIN,
   and BM25.bounds' own).
   When a check fails, or the rows to look up would cost more than reading the skipped
   postings (`budget`), the skipped term of the highest bound is added after all and the
   checks run again; once every term is added the sums are complete (if not in query order)
   and only the rows at the bars are summed in full. (Should a check still fail, the sums are
   cleared and every posting is added in order, as without pruning.)
   Measured (bench/HISTORY.md, 100k items): a question whose skipped term holds most of its
   postings ranks 3-10× faster; one whose rows reached are many pays a few passes over them,
   so `choose_skips` wants the skipped postings to outnumber those read (rank.SKIP_RATIO). */
#define MARGIN (1 + 1e-9)
/* Look-ups left before a skipped term is added after all: the skipped postings over
   `lookup_cost`, what a look-up costs in postings added (rank.LOOKUP_COST). */
static int64_t budget;

static struct {
    int64_t postings, skipped, rows;  /* postings in the span, left unread; rows reached */
    int64_t exact, near;  /* rows summed by look-up: in full, of skipped terms */
    int pruned, taken, redone;  /* pruning tried; skipped terms added after all; everything redone */
} last;

/* The weight of cursor u's term in document doc, 0 where it has none. The rows are looked up in
   runs of rising numbers (`touched` lists them as first reached, chunk after chunk, postings
   ascending), so the search starts where the cursor's last one ended (`hint`), in steps
   doubling forward, and binary searches from the start only when a row lies behind. */
static double looked_up(Cursor *u, int64_t doc) {
    if (doc < read_int(u->docs, u->ds, u->lo) || doc > read_int(u->docs, u->ds, u->end - 1))
        return 0;
    budget--;
    int64_t a = u->lo, e = u->end;
    if (read_int(u->docs, u->ds, u->hint) <= doc) {  /* doc's place is hint or after */
        int64_t step = 1;
        for (a = u->hint; a + step < e && read_int(u->docs, u->ds, a + step) < doc; step *= 2)
            a += step;
        e = a + step < e ? a + step + 1 : e;
    } else {
        e = u->hint;  /* doc's place is hint or before */
    }
    int64_t p = lower_bound(u->docs, u->ds, a, e, doc);
    u->hint = p < u->end ? p : u->end - 1;
    return p < u->end && read_int(u->docs, u->ds, p) == doc ? weight(u, doc, (double)read_int(u->tf, u->ts, p)) : 0;
}

/* The sum of document doc's weights in channel c, in the full pass's order (cursor order:
   block after block, terms in query order; a row lies in one block), each cursor looked up. */
static double exact_sum(Reading *r, int c, int64_t doc) {
    double s = 0;
    for (Py_ssize_t i = 0; i < r->n_cursors; i++)
        if (r->cursor[i].c == c)
            s += looked_up(&r->cursor[i], doc);
    last.exact++;
    return s;
}

/* Channel c's partial sum of row t plus its skipped terms' weights: the full sum but for the
   order of adding (so within rounding of it, far inside MARGIN), by one look-up per skipped term. */
static double near_sum(Reading *r, int c, int64_t t, int64_t first) {
    double s = acc[2 * t + c];
    last.near += r->term[c].partial;
    for (Py_ssize_t i = 0; r->term[c].partial && i < r->n_cursors; i++)
        if (r->cursor[i].c == c && skipped(r, &r->cursor[i]))
            s += looked_up(&r->cursor[i], t + first);
    return s;
}

/* Channel c's full sum of row t (counted from first): the scratch's, unless it holds a partial one. */
static double channel_sum(Reading *r, int c, int64_t t, int64_t first) {
    return r->term[c].partial ? exact_sum(r, c, t + first) : acc[2 * t + c];
}

/* Row t's hit as `scored` fuses it: each channel's sum times its scale (unscaled when its top is 0). */
static Hit hit_of(Reading *r, int64_t t, int64_t first, const double top[2], const double scale[2]) {
    Hit h;
    double w = channel_sum(r, 0, t, first), g = channel_sum(r, 1, t, first);
    h.word = top[0] > 0 ? w * scale[0] : w;
    h.gram = top[1] > 0 ? g * scale[1] : g;
    h.score = h.word + h.gram;
    h.row = t + first;
    return h;
}

/* The bounds of channel c's skipped terms, added up. */
static double skipped_bound(const Reading *r, int c) {
    double rest = 0;
    for (Py_ssize_t t = 0; t < r->term[c].n; t++)
        if (r->term[c].skipped[t])
            rest += r->term[c].bound[t];
    return rest;
}

/* Which terms to skip: per channel, those of at least `from` postings, lowest bound first, as
   long as their bounds add up to at most `share` of the channel's highest bound (a row's full
   sum is at least one term's weight, and the best row's is usually well above the highest
   bound's half: BM25.bounds take the highest count in the shortest document); none unless
   they hold at least `ratio` times the postings of the terms read (the pruning's passes over
   the rows reached cost about what adding their postings does). Whether any. rank.py's
   SKIP_SHARE says what was measured. */
static int choose_skips(Reading *r, double share, int64_t from, double ratio) {
    double skip = 0, read = 0;
    for (int c = 0; c < 2; c++) {
        Terms *m = &r->term[c];
        double top = 0, rest = 0;
        for (Py_ssize_t t = 0; m->bound && t < m->n; t++)
            top = m->bound[t] > top ? m->bound[t] : top;
        for (;;) {
            Py_ssize_t low = -1;
            for (Py_ssize_t t = 0; m->bound && t < m->n; t++)
                if (!m->skipped[t] && m->postings[t] >= from && (low < 0 || m->bound[t] < m->bound[low]))
                    low = t;
            if (low < 0 || rest + m->bound[low] > share * top)
                break;
            m->skipped[low] = 1, m->partial = 1;
            rest += m->bound[low];
        }
        for (Py_ssize_t t = 0; t < m->n; t++)
            *(m->skipped[t] ? &skip : &read) += (double)m->postings[t];
    }
    if (skip > 0 && skip >= ratio * read)
        return 1;
    for (int c = 0; c < 2; c++) {
        memset(r->term[c].skipped, 0, r->term[c].n ? (size_t)r->term[c].n : 1);
        r->term[c].partial = 0;
    }
    return 0;
}

/* Adds the skipped term of channel `c` (2: either, by bound × scale) of the highest bound after
   all; 0 when none is left. */
static int take(Reading *r, int c, const double scale[2], int64_t first, int64_t end, const char *mask) {
    int best_c = -1;
    Py_ssize_t best_t = -1;
    double most = -1;
    for (int ch = 0; ch < 2; ch++)
        for (Py_ssize_t t = 0; (c == 2 || c == ch) && t < r->term[ch].n; t++) {
            if (!r->term[ch].skipped[t])  /* (a channel without bounds skips nothing) */
                continue;
            double b = r->term[ch].bound[t] * (c == 2 ? scale[ch] : 1);
            if (b > most)
                most = b, best_c = ch, best_t = t;
        }
    if (best_c < 0)
        return 0;
    r->term[best_c].skipped[best_t] = 0;
    last.taken++;
    for (Py_ssize_t i = 0; i < r->n_cursors; i++) {
        Cursor *u = &r->cursor[i];
        if (u->c == best_c && u->t == best_t && (advance(u, end, first, end, mask) < 0 || u->pos < u->end)) {
            PyErr_SetString(PyExc_ValueError, "postings outside the rows");
            return -1;
        }
    }
    return 1;
}

/* Each channel's row of the best partial sum among the rows reached from touched[from] on
   (-1: none yet), into m, *most their sums. */
static void best_partial(int64_t from, int64_t m[2], double most[2]) {
    for (int64_t t = from; t < n_touched; t++) {
        const double *sum = acc + 2 * touched[t];
        if (sum[0] > most[0]) most[0] = sum[0], m[0] = touched[t];
        if (sum[1] > most[1]) most[1] = sum[1], m[1] = touched[t];
    }
}

/* Each channel's top (see above), and the k rows of the best partial fused score with the
   scales the tops so far give (any k rows would do: `fused_top` scores them in full for its
   bar), in one pass; m: best_partial's. 1 + c when channel c's skipped terms could hold a
   better row than the best reached one, or its look-ups ran over the budget, else 0. */
static int tops(Reading *r, int64_t first, const int64_t m[2], double word_share, double top[2], Py_ssize_t k,
                Hit *best, Py_ssize_t *n) {
    double rest[2], guess[2];
    for (int c = 0; c < 2; c++) {
        rest[c] = skipped_bound(r, c);
        top[c] = m[c] < 0 ? 0 : channel_sum(r, c, m[c], first);
        if (rest[c] > 0 && rest[c] * MARGIN >= top[c])
            return 1 + c;
        guess[c] = (c ? 1 - word_share : word_share) / (top[c] > 0 ? top[c] : 1);
    }
    for (int c = 0; c < 2; c++) {  /* rows to look up: within budget? (a bound before any) */
        int64_t rows = 0;
        for (int64_t t = 0; r->term[c].partial && rest[c] > 0 && t < n_touched; t++)
            rows += (acc[2 * touched[t] + c] + rest[c]) * MARGIN >= top[c];
        if (rows > budget)
            return 1 + c;
    }
    *n = 0;
    for (int64_t t = 0; t < n_touched; t++) {
        const double *sum = acc + 2 * touched[t];
        for (int c = 0; c < 2; c++)
            if (r->term[c].partial && (sum[c] + rest[c]) * MARGIN >= top[c]) {
                if (near_sum(r, c, touched[t], first) * MARGIN >= top[c]) {
                    double v = exact_sum(r, c, touched[t] + first);
                    top[c] = v > top[c] ? v : top[c];
                }
                if (budget < 0)
                    return 1 + c;
            }
        Hit h = {sum[0] * guess[0] + sum[1] * guess[1], 0, 0, touched[t]};
        keep(best, n, k, h);
    }
    return 0;
}

/* The k best rows (see above) into best, *n of them (on entry: `tops`' k rows); 1 when the
   skipped terms could hold a row among them, or the look-ups ran over the budget. */
static int fused_top(Reading *r, int64_t first, Py_ssize_t k, const double top[2], const double scale[2],
                     Hit *best, Py_ssize_t *n) {
    double rest[2] = {skipped_bound(r, 0), skipped_bound(r, 1)};
    if (*n < k && rest[0] + rest[1] > 0)  /* fewer rows reached than asked for: rows of skipped terms only are in */
        return 1;
    double theta = *n < k ? 0 : INFINITY;
    for (Py_ssize_t i = 0; i < *n; i++) {
        double score = hit_of(r, best[i].row, first, top, scale).score;
        theta = score < theta ? score : theta;
    }
    if (rest[0] + rest[1] > 0 && (rest[0] * scale[0] + rest[1] * scale[1]) * MARGIN >= theta)
        return 1;
    int64_t rows = 0;  /* rows to look up: within budget? (a bound before any) */
    for (int64_t t = 0; rest[0] + rest[1] > 0 && t < n_touched; t++) {
        const double *sum = acc + 2 * touched[t];
        rows += ((sum[0] + rest[0]) * scale[0] + (sum[1] + rest[1]) * scale[1]) * MARGIN >= theta;
    }
    if (rows > budget)
        return 1;
    *n = 0;
    for (int64_t t = 0; t < n_touched; t++) {
        const double *sum = acc + 2 * touched[t];
        if (*n == k && best[k - 1].score > theta)  /* the k-th best so far: the bar rises */
            theta = best[k - 1].score;
        if (((sum[0] + rest[0]) * scale[0] + (sum[1] + rest[1]) * scale[1]) * MARGIN >= theta
            && (near_sum(r, 0, touched[t], first) * scale[0] + near_sum(r, 1, touched[t], first) * scale[1]) * MARGIN
                   >= theta)
            keep(best, n, k, hit_of(r, touched[t], first, top, scale));
        if (budget < 0)
            return 1;
    }
    return 0;
}

/* The k best with the skipped terms' postings unread where the checks allow: 0 with *n hits in
   best; 1 when a check fails with every term added (not expected: the sums are then complete),
   for the caller to score in full; -1 on an error. */
static int pruned(Reading *r, int64_t first, int64_t end, int64_t chunk, const char *mask_all, Py_ssize_t k,
                  double word_share, int64_t lookup_cost, Hit *best, Py_ssize_t *n) {
    int64_t m[2] = {-1, -1};
    double most[2] = {0, 0};
    if (accumulate(r, first, end, chunk, mask_all, m, most) < 0)
        return -1;
    for (;;) {
        budget = 0;
        for (int ch = 0; ch < 2; ch++)
            for (Py_ssize_t t = 0; t < r->term[ch].n; t++)
                budget += r->term[ch].skipped[t] && lookup_cost ? r->term[ch].postings[t] / lookup_cost + 1 : 0;
        if (!budget || !lookup_cost)  /* every term added after all: the look-ups left are the few rows near the bars */
            budget = INT64_MAX;
        double top[2], scale[2] = {1, 1};
        int c = tops(r, first, m, word_share, top, k, best, n) - 1, got;
        if (c < 0) {
            scale[0] = top[0] > 0 ? word_share / top[0] : 1;
            scale[1] = top[1] > 0 ? (1 - word_share) / top[1] : 1;
            if (!fused_top(r, first, k, top, scale, best, n)) {
                for (int ch = 0; ch < 2; ch++)
                    for (Py_ssize_t t = 0; t < r->term[ch].n; t++)
                        last.skipped += r->term[ch].skipped[t] ? r->term[ch].postings[t] : 0;
                last.rows = n_touched;
                return 0;
            }
            c = 2;
        }
        if ((got = take(r, c, scale, first, end, mask_all)) == 0 && c != 2)  /* (over the budget) */
            got = take(r, 2, scale, first, end, mask_all);
        if (got <= 0)
            return got < 0 ? -1 : 1;
        m[0] = m[1] = -1, most[0] = most[1] = 0;
        best_partial(0, m, most);
    }
}

/* The k best when every posting is added, in order: each channel's top over the rows reached. */
static void full_top(int64_t first, Py_ssize_t k, double word_share, Hit *best, Py_ssize_t *n) {
    double top[2] = {0, 0};
    for (int64_t t = 0; t < n_touched; t++) {
        const double *sum = acc + 2 * touched[t];
        if (sum[0] > top[0]) top[0] = sum[0];
        if (sum[1] > top[1]) top[1] = sum[1];
    }
    /* as rank._sums: sums * (share / top), the factor computed once; unchanged when top is 0 */
    double scale[2] = {top[0] > 0 ? word_share / top[0] : 1, top[1] > 0 ? (1 - word_share) / top[1] : 1};
    /* keep() orders by (score, row) alone, so the touched rows can come in any order; the sums
       are in order (as hit_of's, without its calls: a tenth of the kernel's time at 100k) */
    *n = 0;
    for (int64_t t = 0; k && t < n_touched; t++) {
        const double *sum = acc + 2 * touched[t];
        Hit h;
        h.word = top[0] > 0 ? sum[0] * scale[0] : sum[0];
        h.gram = top[1] > 0 ? sum[1] * scale[1] : sum[1];
        h.score = h.word + h.gram;
        h.row = touched[t] + first;
        keep(best, n, k, h);
    }
}

/* The scratch zero again (also after an error), and every term unskipped with its cursors back
   at their first posting. */
static void clear(Reading *r) {
    for (int64_t t = 0; t < n_touched; t++)
        acc[2 * touched[t]] = acc[2 * touched[t] + 1] = 0;
    n_touched = 0;
    for (Py_ssize_t i = 0; i < r->n_cursors; i++)
        r->cursor[i].pos = r->cursor[i].lo;
    for (int c = 0; c < 2; c++) {
        if (r->term[c].skipped)
            memset(r->term[c].skipped, 0, r->term[c].n ? (size_t)r->term[c].n : 1);
        r->term[c].partial = 0;
    }
}

/* scored(word, gram, mask, first, end, k, word_share, out_rows, out_scores, out_words, out_grams
   [, chunk, skip_share, skip_from, skip_ratio, lookup_cost]) → how many rows were written;
   chunk: rows summed at a time (tests make it small); skip_*: which terms the pruning may skip
   (`choose_skips`; skip_share 0, the default: none); lookup_cost: see `budget` (0, the default:
   no budget, for the tests: a small corpus's few postings would allow few look-ups).
   word, gram: (norm, k1, factors, term ids, [(terms, ptr, docs, counts), …][, stats]): each
   term's factor (float64) and id (int64), and the postings blocks as Postings holds them; only
   documents in [first, end) are read; stats: what bounds are computed from (`read_channel`),
   or None (nothing of the channel skipped). mask: bool per row of the corpus. As rank._scored: the rows either
   channel reaches within mask, each channel's sums divided by its best among them times its
   share, fused, the k best by fused score with ties in row order. */
static PyObject *scored(PyObject *Py_UNUSED(self), PyObject *args) {
    PyObject *channels[2];
    Py_buffer mask_b, out_b[4];
    long long first, end;
    Py_ssize_t k;
    double word_share, skip_share = 0, skip_ratio = 0;
    long long chunk = 16384, skip_from = 0, lookup_cost = 0;
    if (!PyArg_ParseTuple(args, "OOy*LLndw*w*w*w*|LdLdL", &channels[0], &channels[1], &mask_b, &first, &end,
                          &k, &word_share, &out_b[0], &out_b[1], &out_b[2], &out_b[3], &chunk, &skip_share,
                          &skip_from, &skip_ratio, &lookup_cost))
        return NULL;
    PyObject *result = NULL;
    Hit *best = NULL;
    Reading reading = {0};
    int64_t size = end - first;
    n_touched = 0;
    memset(&last, 0, sizeof(last));
    if (first < 0 || size < 0 || end > mask_b.len || k < 0 || chunk < 1
        || out_b[0].len < k * 8 || out_b[1].len < k * 8 || out_b[2].len < k * 8 || out_b[3].len < k * 8) {
        PyErr_SetString(PyExc_ValueError, "rows, mask or outputs of the wrong size");
        goto done;
    }
    if (reserve(size) < 0 || read_channel(&reading, channels[0], 0, first, end) < 0
        || read_channel(&reading, channels[1], 1, first, end) < 0)
        goto done;
    best = malloc((k ? (size_t)k : 1) * sizeof(Hit));
    if (!best) {
        PyErr_NoMemory();
        goto done;
    }
    const char *mask = (const char *)mask_b.buf;
    Py_ssize_t n = 0;
    int rc = 1;
    if (k > 0 && skip_share > 0 && choose_skips(&reading, skip_share, skip_from, skip_ratio)) {
        last.pruned = 1;
        if ((rc = pruned(&reading, first, end, chunk, mask, k, word_share, lookup_cost, best, &n)) < 0)
            goto done;
        if (rc == 1)
            clear(&reading), last.redone = 1;
    }
    if (rc == 1) {
        if (accumulate(&reading, first, end, chunk, mask, NULL, NULL) < 0)
            goto done;
        full_top(first, k, word_share, best, &n);
        last.rows = n_touched;
    }
    for (int c = 0; c < 2; c++)
        for (Py_ssize_t t = 0; t < reading.term[c].n; t++)
            last.postings += reading.term[c].postings[t];
    for (Py_ssize_t i = 0; i < n; i++) {
        ((int64_t *)out_b[0].buf)[i] = best[i].row;
        ((double *)out_b[1].buf)[i] = best[i].score;
        ((double *)out_b[2].buf)[i] = best[i].word;
        ((double *)out_b[3].buf)[i] = best[i].gram;
    }
    result = PyLong_FromSsize_t(n);
done:
    clear(&reading);
    free(best);
    for (int c = 0; c < 2; c++)
        free(reading.term[c].postings), free(reading.term[c].skipped), free(reading.term[c].bound);
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

/* last() → what the last call of scored did: pruned, postings skipped, rows summed in full by
   look-up, rows' skipped terms looked up, skipped terms added after all, redone in full; postings
   in the span; rows reached; for the tests and the benchmark. */
static PyObject *last_call(PyObject *Py_UNUSED(self), PyObject *Py_UNUSED(args)) {
    return Py_BuildValue("{s:i,s:L,s:L,s:L,s:L,s:L,s:i,s:i}", "pruned", last.pruned, "postings",
                         (long long)last.postings, "skipped", (long long)last.skipped, "rows", (long long)last.rows,
                         "exact", (long long)last.exact, "near", (long long)last.near, "taken", last.taken,
                         "redone", last.redone);
}

static PyMethodDef methods[] = {
    {"scored", scored, METH_VARARGS, "rank._scored's rows, scores and order in one pass (see the source)."},
    {"last", last_call, METH_NOARGS, "What the last call of scored did (see the source)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, .m_name = "_kernel", .m_size = -1, .m_methods = methods};

PyMODINIT_FUNC PyInit__kernel(void) { return PyModule_Create(&module); }
