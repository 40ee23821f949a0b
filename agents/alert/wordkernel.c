/* The alert stage's tokenizer (`query.words`) in C.

   A token is a run of word characters (what Python's `re` calls \w: letters, digits and the
   underscore) with single joiners between runs (' ’ . -), lower-cased, ’ read as '. Exactly
   what the pattern in query.py finds (tests/unit/test_query_words.py holds both to it). Every
   article's title, paragraphs and quotations go through it once for all watchlists; in
   Python that cost about a third of the fixed part of matching an article, here it is one
   pass over the text. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

static inline int is_word(Py_UCS4 ch) {
    if (ch < 128)
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
               ch == '_';
    return Py_UNICODE_ISALNUM(ch); /* as `re` decides \w */
}

static inline int is_joiner(Py_UCS4 ch) {
    return ch == '\'' || ch == '.' || ch == '-' || ch == 0x2019;
}

/* text[start:end] lower-cased, ’ as ': byte by byte when it is ASCII, else by str.lower (whose
   full case mapping can lengthen a token: "İ" becomes two characters). */
static PyObject *token_of(PyObject *text, int kind, const void *data, Py_ssize_t start,
                          Py_ssize_t end, int ascii) {
    if (ascii) {
        PyObject *token = PyUnicode_New(end - start, 127);
        if (token == NULL) return NULL;
        Py_UCS1 *out = PyUnicode_1BYTE_DATA(token);
        for (Py_ssize_t i = start; i < end; i++) {
            Py_UCS1 ch = (Py_UCS1)PyUnicode_READ(kind, data, i);
            out[i - start] = (ch >= 'A' && ch <= 'Z') ? (Py_UCS1)(ch + 32) : ch;
        }
        return token;
    }
    PyObject *piece = PyUnicode_Substring(text, start, end);
    if (piece == NULL) return NULL;
    PyObject *lowered = PyObject_CallMethod(piece, "lower", NULL);
    Py_DECREF(piece);
    if (lowered == NULL) return NULL;
    if (PyUnicode_FindChar(lowered, 0x2019, 0, PyUnicode_GET_LENGTH(lowered), 1) == -1)
        return lowered;
    PyObject *curly = PyUnicode_FromOrdinal(0x2019), *straight = PyUnicode_FromOrdinal('\'');
    PyObject *replaced = NULL;
    if (curly != NULL && straight != NULL) replaced = PyUnicode_Replace(lowered, curly, straight, -1);
    Py_XDECREF(curly);
    Py_XDECREF(straight);
    Py_DECREF(lowered);
    return replaced;
}

/* words(text): the tokens of a str, in order. */
static PyObject *words(PyObject *Py_UNUSED(module), PyObject *text) {
    if (!PyUnicode_Check(text)) {
        PyErr_Format(PyExc_TypeError, "words: expected a str, got %.80s", Py_TYPE(text)->tp_name);
        return NULL;
    }
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    Py_ssize_t at = 0;
    while (at < n) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, at);
        if (!is_word(ch)) {
            at++;
            continue;
        }
        Py_ssize_t start = at;
        int ascii = 1;
        for (;;) { /* a run of word characters, then a joiner if a word character follows it */
            while (at < n && is_word(ch = PyUnicode_READ(kind, data, at))) {
                ascii &= ch < 128;
                at++;
            }
            if (at + 1 < n && is_joiner(ch) && is_word(PyUnicode_READ(kind, data, at + 1))) {
                ascii &= ch < 128;
                at++;
                continue;
            }
            break;
        }
        PyObject *token = token_of(text, kind, data, start, at, ascii);
        if (token == NULL || PyList_Append(found, token) < 0) {
            Py_XDECREF(token);
            Py_DECREF(found);
            return NULL;
        }
        Py_DECREF(token);
    }
    return found;
}

static PyMethodDef module_methods[] = {
    {"words", words, METH_O, "words(text): the lower-cased word tokens of a str, in order."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "wirewatch.agents.alert.wordkernel",
    .m_doc = PyDoc_STR("The alert stage's tokenizer (see query.words)."),
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit_wordkernel(void) { return PyModule_Create(&module); }
