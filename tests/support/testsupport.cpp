// Keeps hearth_testsupport non-empty; real helpers live beside this file.
