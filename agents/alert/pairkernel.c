/* The compiled pair index's per-article walk, in C (agents/alert/presearch.py, CompiledPairs).

   With 100,000 watchlists an article reaches a few thousand pair entries through about 80
   first keys. Done with numpy, that is some forty array operations of a few microseconds each,
   over arrays that are cold at every article, plus a Python loop over the entries left to
   check: together more than half of the match step. Here it is one pass over int32 arrays.

   The kernel holds, by key number (numbers start at 1; 0 numbers no key):
     - each first key's entries: `starts[k]`, `counts[k]` of them (0: not a live first key);
     - each entry's second key, third key (0: none), watchlist handle, and its check: a range
       of `program`, a list of groups, each written as its length and then its key numbers;
       the entry holds when every group has one key present;
     - the tokens' numbers: token hash -> the numbers of the token and of the numbered
       prefixes it starts with (two tokens of equal hash share the union, as in Python).
   An article marks the numbers it holds (a generation stamp per key, so nothing is cleared
   between articles), then `reach` walks the entries of its first keys. Nothing here knows
   what a key means: presearch.py numbers them and decides what an article holds. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* One pair entry, its fields side by side: an article's walk reads them together, and at
   100,000 watchlists the arrays are cold at every article. The check is program[check ..
   the next entry's check). */
typedef struct {
    int32_t second, third, handle, check;
} Entry;

/* A slot of the token table: a token's hash and its row (-1: empty), in one cache line. */
typedef struct {
    int64_t hash;
    int32_t row, unused;
} Slot;

typedef struct {
    PyObject_HEAD
    Py_ssize_t n_keys;     /* numbers run 0 .. n_keys - 1 */
    Py_ssize_t n_entries;
    int32_t *starts, *counts;
    Entry *entries;        /* n_entries + 1: the last only closes the checks */
    int32_t *program;
    uint8_t *stamp;        /* stamp[k] == generation: the article holds key k (a byte each:
                              with 100,000 watchlists the stamps stay in cache) */
    uint8_t generation;
    int32_t *marked;       /* the keys marked in this generation, in the order marked */
    Py_ssize_t n_marked;
    /* the token table: open addressing on the hash, `slots` of them (a power of two) */
    Py_ssize_t slots;
    Slot *slot;
    int32_t *row_at;       /* row r's numbers are numbers[row_at[r] .. row_at[r + 1]) */
    int32_t *row_numbers;
    /* begin's scratch: each token's hash, then its row (grown to the longest article) */
    Py_ssize_t scratch_size;
    int64_t *scratch_hash;
    int32_t *scratch_row;
} Kernel;

static void *copy_or_fail(size_t bytes) {
    void *memory = PyMem_Malloc(bytes ? bytes : 1);
    if (memory == NULL) PyErr_NoMemory();
    return memory;
}

/* A C-contiguous buffer of int64 (a numpy array) copied as int32, checked against `limit`
   (each value in 0 .. limit - 1; limit 0: any non-negative int32). */
static int32_t *int32_copy(PyObject *source, Py_ssize_t *length, int64_t limit, const char *what) {
    Py_buffer view;
    if (PyObject_GetBuffer(source, &view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return NULL;
    if (view.itemsize != 8 || view.ndim != 1) {
        PyErr_Format(PyExc_TypeError, "%s: expected a one-dimensional array of int64", what);
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_ssize_t n = view.len / 8;
    int32_t *out = copy_or_fail((size_t)n * sizeof(int32_t));
    if (out != NULL) {
        const int64_t *in = (const int64_t *)view.buf;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t value = in[i];
            if (value < 0 || value > INT32_MAX || (limit && value >= limit)) {
                PyErr_Format(PyExc_ValueError, "%s: value %lld out of range at %zd", what,
                             (long long)value, i);
                PyMem_Free(out);
                out = NULL;
                break;
            }
            out[i] = (int32_t)value;
        }
    }
    *length = n;
    PyBuffer_Release(&view);
    return out;
}

static void free_tokens(Kernel *self) {
    PyMem_Free(self->slot);
    PyMem_Free(self->row_at);
    PyMem_Free(self->row_numbers);
    self->slot = NULL;
    self->row_at = NULL;
    self->row_numbers = NULL;
    self->slots = 0;
}

static void Kernel_dealloc(Kernel *self) {
    PyMem_Free(self->starts);
    PyMem_Free(self->counts);
    PyMem_Free(self->entries);
    PyMem_Free(self->program);
    PyMem_Free(self->stamp);
    PyMem_Free(self->marked);
    PyMem_Free(self->scratch_hash);
    PyMem_Free(self->scratch_row);
    free_tokens(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Kernel_init(Kernel *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"starts", "counts", "seconds", "thirds", "handles", "check_at",
                            "program", NULL};
    PyObject *starts, *counts, *seconds_in, *thirds_in, *handles_in, *check_at_in, *program;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OOOOOOO", names, &starts, &counts,
                                     &seconds_in, &thirds_in, &handles_in, &check_at_in, &program))
        return -1;
    if (self->starts != NULL) {
        PyErr_SetString(PyExc_RuntimeError, "a PairKernel is initialised once");
        return -1;
    }
    int result = -1;
    int32_t *seconds = NULL, *thirds = NULL, *handles = NULL, *check_at = NULL;
    Py_ssize_t n_keys, n_counts, n_entries, n, n_checks, n_program;
    if (!(seconds = int32_copy(seconds_in, &n_entries, 0, "seconds"))) goto done;
    if (!(self->starts = int32_copy(starts, &n_keys, n_entries + 1, "starts"))) goto done;
    if (!(self->counts = int32_copy(counts, &n_counts, n_entries + 1, "counts"))) goto done;
    if (n_counts != n_keys) {
        PyErr_SetString(PyExc_ValueError, "starts and counts differ in length");
        goto done;
    }
    for (Py_ssize_t i = 0; i < n_entries; i++) {
        if (seconds[i] >= n_keys) {
            PyErr_SetString(PyExc_ValueError, "seconds: a key number past the last key");
            goto done;
        }
    }
    for (Py_ssize_t k = 0; k < n_keys; k++) {
        if ((int64_t)self->starts[k] + self->counts[k] > n_entries) {
            PyErr_SetString(PyExc_ValueError, "a first key's entries run past the last entry");
            goto done;
        }
    }
    if (!(thirds = int32_copy(thirds_in, &n, n_keys, "thirds"))) goto done;
    if (n != n_entries) goto lengths;
    if (!(handles = int32_copy(handles_in, &n, 0, "handles"))) goto done;
    if (n != n_entries) goto lengths;
    if (!(self->program = int32_copy(program, &n_program, 0, "program"))) goto done;
    if (!(check_at = int32_copy(check_at_in, &n_checks, n_program + 1, "check_at"))) goto done;
    if (n_checks != n_entries + 1) goto lengths;
    /* every check must be well formed: groups that end where the check ends, keys in range */
    for (Py_ssize_t e = 0; e < n_entries; e++) {
        int32_t at = check_at[e], end = check_at[e + 1];
        if (at > end) goto malformed;
        while (at < end) {
            int32_t size = self->program[at++];
            if (size < 1 || at + size > end) goto malformed;
            for (int32_t i = 0; i < size; i++)
                if (self->program[at + i] >= n_keys) goto malformed;
            at += size;
        }
    }
    if (!(self->entries = copy_or_fail((size_t)(n_entries + 1) * sizeof(Entry)))) goto done;
    for (Py_ssize_t e = 0; e <= n_entries; e++) {
        Entry *entry = &self->entries[e];
        entry->second = e < n_entries ? seconds[e] : 0;
        entry->third = e < n_entries ? thirds[e] : 0;
        entry->handle = e < n_entries ? handles[e] : 0;
        entry->check = check_at[e];
    }
    self->n_keys = n_keys;
    self->n_entries = n_entries;
    self->stamp = copy_or_fail((size_t)n_keys);
    self->marked = copy_or_fail((size_t)n_keys * sizeof(int32_t));
    if (self->stamp == NULL || self->marked == NULL) goto done;
    memset(self->stamp, 0, (size_t)n_keys);
    self->generation = 1;
    self->n_marked = 0;
    result = 0;
    goto done;
lengths:
    PyErr_SetString(PyExc_ValueError, "the entries' arrays differ in length");
    goto done;
malformed:
    PyErr_SetString(PyExc_ValueError, "program: a malformed check");
done:
    PyMem_Free(seconds);
    PyMem_Free(thirds);
    PyMem_Free(handles);
    PyMem_Free(check_at);
    return result;
}

static int ready(Kernel *self) {
    if (self->stamp == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "the PairKernel was not initialised");
        return 0;
    }
    return 1;
}

static inline void mark(Kernel *self, int32_t key) {
    if (self->stamp[key] != self->generation) {
        self->stamp[key] = self->generation;
        self->marked[self->n_marked++] = key;
    }
}

static inline int held(const Kernel *self, int32_t key) {
    return self->stamp[key] == self->generation;
}

/* set_tokens(hashes, row_at, numbers): the token table, replacing the one before. Row r is the
   token of hash hashes[r]; its numbers are numbers[row_at[r]:row_at[r + 1]]. */
static PyObject *Kernel_set_tokens(Kernel *self, PyObject *args) {
    PyObject *hashes_object, *row_at_object, *numbers_object;
    if (!ready(self) || !PyArg_ParseTuple(args, "OOO", &hashes_object, &row_at_object, &numbers_object))
        return NULL;
    Py_buffer hashes;
    if (PyObject_GetBuffer(hashes_object, &hashes, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0) return NULL;
    if (hashes.itemsize != 8 || hashes.ndim != 1) {
        PyBuffer_Release(&hashes);
        PyErr_SetString(PyExc_TypeError, "hashes: expected a one-dimensional array of int64");
        return NULL;
    }
    Py_ssize_t rows = hashes.len / 8, n_at, n_numbers;
    int32_t *numbers = int32_copy(numbers_object, &n_numbers, self->n_keys, "numbers");
    int32_t *row_at = numbers ? int32_copy(row_at_object, &n_at, n_numbers + 1, "row_at") : NULL;
    if (row_at == NULL || n_at != rows + 1) {
        if (row_at != NULL) PyErr_SetString(PyExc_ValueError, "row_at: one offset per row, and one more");
        PyMem_Free(numbers);
        PyMem_Free(row_at);
        PyBuffer_Release(&hashes);
        return NULL;
    }
    for (Py_ssize_t r = 0; r < rows; r++) {
        if (row_at[r] > row_at[r + 1]) {
            PyErr_SetString(PyExc_ValueError, "row_at: offsets must not decrease");
            PyMem_Free(numbers);
            PyMem_Free(row_at);
            PyBuffer_Release(&hashes);
            return NULL;
        }
    }
    Py_ssize_t slots = 16;
    while (slots < 2 * rows) slots *= 2;
    Slot *slot = copy_or_fail((size_t)slots * sizeof(Slot));
    if (slot == NULL) {
        PyMem_Free(numbers);
        PyMem_Free(row_at);
        PyBuffer_Release(&hashes);
        return NULL;
    }
    for (Py_ssize_t at = 0; at < slots; at++) slot[at].row = -1;
    const int64_t *in = (const int64_t *)hashes.buf;
    uint64_t mask = (uint64_t)(slots - 1);
    for (Py_ssize_t r = 0; r < rows; r++) {
        uint64_t at = (uint64_t)in[r] & mask;
        while (slot[at].row >= 0 && slot[at].hash != in[r]) at = (at + 1) & mask;
        /* a hash given twice keeps its first row (the caller merges equal hashes) */
        if (slot[at].row < 0) {
            slot[at].hash = in[r];
            slot[at].row = (int32_t)r;
        }
    }
    PyBuffer_Release(&hashes);
    free_tokens(self);
    self->slots = slots;
    self->slot = slot;
    self->row_at = row_at;
    self->row_numbers = numbers;
    Py_RETURN_NONE;
}

/* begin(tokens): start an article and mark the numbers of its tokens (a list of str) that the
   token table holds; returns the indexes of those it does not, for the caller to work out and
   `mark`.

   At 100,000 watchlists the table, the rows and the stamps are cold at every article, and a
   token's lookup is a chain of three reads (its slot, its row's offsets, its numbers) that
   each wait on memory. So the tokens go through in passes, each asking the memory for what
   the next pass reads for every token at once (`__builtin_prefetch`): the reads of one pass
   overlap instead of following one another. */
static PyObject *Kernel_begin(Kernel *self, PyObject *tokens) {
    if (!ready(self)) return NULL;
    if (!PyList_Check(tokens)) {
        PyErr_SetString(PyExc_TypeError, "begin: expected a list of str");
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(tokens);
    if (n > self->scratch_size) {
        int64_t *hashes = PyMem_Realloc(self->scratch_hash, (size_t)n * sizeof(int64_t));
        if (hashes == NULL) return PyErr_NoMemory();
        self->scratch_hash = hashes;
        int32_t *rows = PyMem_Realloc(self->scratch_row, (size_t)n * sizeof(int32_t));
        if (rows == NULL) return PyErr_NoMemory();
        self->scratch_row = rows;
        self->scratch_size = n;
    }
    int64_t *hashes = self->scratch_hash;
    int32_t *rows = self->scratch_row;
    const Slot *slot = self->slot;
    uint64_t mask = (uint64_t)(self->slots - 1);
    for (Py_ssize_t i = 0; i < n; i++) { /* the hashes; their slots asked for */
        PyObject *token = PyList_GET_ITEM(tokens, i);
        if (!PyUnicode_CheckExact(token)) { /* (a subclass's __hash__ could change the list) */
            PyErr_Format(PyExc_TypeError, "begin: expected a list of str, got %.80s at %zd",
                         Py_TYPE(token)->tp_name, i);
            return NULL;
        }
        Py_hash_t hash = PyObject_Hash(token);
        if (hash == -1 && PyErr_Occurred()) return NULL;
        hashes[i] = (int64_t)hash;
        if (self->slots) __builtin_prefetch(&slot[(uint64_t)hash & mask]);
    }
    if (++self->generation == 0) { /* wrapped: every stamp could look current */
        memset(self->stamp, 0, (size_t)self->n_keys);
        self->generation = 1;
    }
    self->n_marked = 0;
    PyObject *missed = PyList_New(0);
    if (missed == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) { /* the rows; their offsets asked for */
        int32_t row = -1;
        if (self->slots) {
            uint64_t at = (uint64_t)hashes[i] & mask;
            while (slot[at].row >= 0) {
                if (slot[at].hash == hashes[i]) {
                    row = slot[at].row;
                    break;
                }
                at = (at + 1) & mask;
            }
        }
        rows[i] = row;
        if (row >= 0) __builtin_prefetch(&self->row_at[row]);
    }
    for (Py_ssize_t i = 0; i < n; i++) /* the numbers asked for */
        if (rows[i] >= 0) __builtin_prefetch(&self->row_numbers[self->row_at[rows[i]]]);
    for (Py_ssize_t i = 0; i < n; i++) { /* the numbers marked; the tokens not held listed */
        int32_t row = rows[i];
        if (row < 0) {
            PyObject *index = PyLong_FromSsize_t(i);
            if (index == NULL || PyList_Append(missed, index) < 0) {
                Py_XDECREF(index);
                Py_DECREF(missed);
                return NULL;
            }
            Py_DECREF(index);
            continue;
        }
        for (int32_t j = self->row_at[row]; j < self->row_at[row + 1]; j++) {
            int32_t key = self->row_numbers[j];
            if (key) mark(self, key);
        }
    }
    return missed;
}

/* mark(numbers): the article holds these keys too (an iterable of int; 0 and repeats allowed). */
static PyObject *Kernel_mark(Kernel *self, PyObject *numbers) {
    if (!ready(self)) return NULL;
    PyObject *iterator = PyObject_GetIter(numbers);
    if (iterator == NULL) return NULL;
    PyObject *item;
    while ((item = PyIter_Next(iterator)) != NULL) {
        Py_ssize_t key = PyLong_AsSsize_t(item);
        Py_DECREF(item);
        if (key == -1 && PyErr_Occurred()) break;
        if (key < 0 || key >= self->n_keys) {
            PyErr_Format(PyExc_ValueError, "mark: no key numbered %zd", key);
            break;
        }
        if (key) mark(self, (int32_t)key);
    }
    Py_DECREF(iterator);
    if (PyErr_Occurred()) return NULL;
    Py_RETURN_NONE;
}

/* holds(number): whether the article holds the key. */
static PyObject *Kernel_holds(Kernel *self, PyObject *number) {
    if (!ready(self)) return NULL;
    Py_ssize_t key = PyLong_AsSsize_t(number);
    if (key == -1 && PyErr_Occurred()) return NULL;
    return PyBool_FromLong(key > 0 && key < self->n_keys && held(self, (int32_t)key));
}

/* reach(): (handles, hits) for the article marked: the handles of the entries whose first,
   second and third keys it holds and whose check holds, in the order walked (a handle filed
   under several pairs can come more than once), and the index hits: how many entries are
   under a pair of keys it holds. */
static PyObject *Kernel_reach(Kernel *self, PyObject *Py_UNUSED(ignored)) {
    if (!ready(self)) return NULL;
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    Py_ssize_t hits = 0;
    const int32_t *program = self->program;
    /* the first keys' offsets, then their first entries, asked for all at once (see begin) */
    for (Py_ssize_t m = 0; m < self->n_marked; m++) {
        __builtin_prefetch(&self->starts[self->marked[m]]);
        __builtin_prefetch(&self->counts[self->marked[m]]);
    }
    for (Py_ssize_t m = 0; m < self->n_marked; m++) {
        int32_t first = self->marked[m];
        if (self->counts[first]) __builtin_prefetch(&self->entries[self->starts[first]]);
    }
    for (Py_ssize_t m = 0; m < self->n_marked; m++) {
        int32_t first = self->marked[m];
        int32_t start = self->starts[first], end = start + self->counts[first];
        for (int32_t e = start; e < end; e++) {
            const Entry *entry = &self->entries[e];
            if (!held(self, entry->second)) continue;
            hits++;
            if (entry->third && !held(self, entry->third)) continue;
            int32_t at = entry->check, stop = entry[1].check, holds = 1;
            while (at < stop && holds) {
                int32_t size = program[at++], any = 0;
                for (int32_t i = 0; i < size && !any; i++) any = held(self, program[at + i]);
                holds = any;
                at += size;
            }
            if (!holds) continue;
            PyObject *handle = PyLong_FromLong(entry->handle);
            if (handle == NULL || PyList_Append(found, handle) < 0) {
                Py_XDECREF(handle);
                Py_DECREF(found);
                return NULL;
            }
            Py_DECREF(handle);
        }
    }
    return Py_BuildValue("(Nn)", found, hits);
}

/* retire(number): the first key's entries are no longer answered for here. */
static PyObject *Kernel_retire(Kernel *self, PyObject *number) {
    if (!ready(self)) return NULL;
    Py_ssize_t key = PyLong_AsSsize_t(number);
    if (key == -1 && PyErr_Occurred()) return NULL;
    if (key < 0 || key >= self->n_keys) {
        PyErr_Format(PyExc_ValueError, "retire: no key numbered %zd", key);
        return NULL;
    }
    self->counts[key] = 0;
    Py_RETURN_NONE;
}

/* take(items, indexes): [items[i] for i in indexes], for a list and a list of int.

   The alert stage turns an article's candidate handles into its watchlists this way. At
   100,000 watchlists both the list's slots and the watchlists are cold at every article, and
   done one by one in Python each read waits on memory in turn (about a seventh of the match
   step, at 53 candidates an article): here all the slots are asked for, then all the objects,
   then what they refer to. */
static int prefetch_referent(PyObject *referent, void *Py_UNUSED(arg)) {
    if (referent != NULL) __builtin_prefetch(referent);
    return 0;
}

static PyObject *take(PyObject *Py_UNUSED(module), PyObject *args) {
    PyObject *items, *indexes;
    if (!PyArg_ParseTuple(args, "O!O!:take", &PyList_Type, &items, &PyList_Type, &indexes))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(indexes), size = PyList_GET_SIZE(items);
    for (Py_ssize_t i = 0; i < n; i++) { /* checked (no Python code runs past here) */
        PyObject *index = PyList_GET_ITEM(indexes, i);
        if (!PyLong_CheckExact(index)) {
            PyErr_Format(PyExc_TypeError, "take: expected a list of int, got %.80s at %zd",
                         Py_TYPE(index)->tp_name, i);
            return NULL;
        }
        Py_ssize_t at = PyLong_AsSsize_t(index);
        if (at == -1 && PyErr_Occurred()) return NULL;
        if (at < 0 || at >= size) {
            PyErr_Format(PyExc_IndexError, "take: index %zd out of range at %zd", at, i);
            return NULL;
        }
        __builtin_prefetch(&PyList_GET_ITEM(items, at));
    }
    for (Py_ssize_t i = 0; i < n; i++)
        __builtin_prefetch(PyList_GET_ITEM(items, PyLong_AsSsize_t(PyList_GET_ITEM(indexes, i))));
    PyObject *taken = PyList_New(n);
    if (taken == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(items, PyLong_AsSsize_t(PyList_GET_ITEM(indexes, i)));
        Py_INCREF(item);
        PyList_SET_ITEM(taken, i, item);
    }
    /* and what each item refers to (a watchlist's compiled query among them), found as
       gc.get_referents finds it, through the type's tp_traverse */
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PyList_GET_ITEM(taken, i);
        traverseproc traverse = Py_TYPE(item)->tp_traverse;
        if (PyObject_IS_GC(item) && traverse != NULL) traverse(item, prefetch_referent, NULL);
    }
    return taken;
}

static PyMethodDef module_methods[] = {
    {"take", take, METH_VARARGS,
     "take(items, indexes): [items[i] for i in indexes], every read asked of memory at once."},
    {NULL, NULL, 0, NULL},
};

static PyMethodDef Kernel_methods[] = {
    {"set_tokens", (PyCFunction)Kernel_set_tokens, METH_VARARGS,
     "set_tokens(hashes, row_at, numbers): the token table, replacing the one before."},
    {"begin", (PyCFunction)Kernel_begin, METH_O,
     "begin(tokens): start an article, mark its known tokens' numbers, return the others' indexes."},
    {"mark", (PyCFunction)Kernel_mark, METH_O, "mark(numbers): the article holds these keys too."},
    {"holds", (PyCFunction)Kernel_holds, METH_O, "holds(number): whether the article holds the key."},
    {"reach", (PyCFunction)Kernel_reach, METH_NOARGS,
     "reach(): (handles of the entries the article satisfies, entries past their keys)."},
    {"retire", (PyCFunction)Kernel_retire, METH_O, "retire(number): stop answering for a first key."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject KernelType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "wirewatch.agents.alert.pairkernel.PairKernel",
    .tp_doc = PyDoc_STR("PairKernel(starts, counts, seconds, thirds, handles, check_at, program)"),
    .tp_basicsize = sizeof(Kernel),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Kernel_init,
    .tp_dealloc = (destructor)Kernel_dealloc,
    .tp_methods = Kernel_methods,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "wirewatch.agents.alert.pairkernel",
    .m_doc = PyDoc_STR("The compiled pair index's per-article walk (see presearch.CompiledPairs)."),
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit_pairkernel(void) {
    if (PyType_Ready(&KernelType) < 0) return NULL;
    PyObject *created = PyModule_Create(&module);
    if (created == NULL) return NULL;
    Py_INCREF(&KernelType);
    if (PyModule_AddObject(created, "PairKernel", (PyObject *)&KernelType) < 0) {
        Py_DECREF(&KernelType);
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
