/* Included ahead of every cgo C file (scripts/cgo-env.sh puts -include on CGO_CFLAGS).
 * github.com/mattn/go-sqlite3 compiles SQLite with FTS3/FTS4 and R*Tree on its own command
 * line and has no build tag to leave them out; the store uses neither (its full-text index is
 * FTS5). A -D on the command line is undone by an #undef in a file given with -include, which
 * the compiler reads after all -D options and before the source. */
#undef SQLITE_ENABLE_FTS3
#undef SQLITE_ENABLE_FTS3_PARENTHESIS
#undef SQLITE_ENABLE_RTREE
