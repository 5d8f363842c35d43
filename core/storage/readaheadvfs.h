#pragma once

// "sluice-readahead": an SQLite VFS over the default one that reads a database file in runs of
// 64 KiB and hands SQLite its pages from them, so that a connection walking a table in key
// order pays one read(2) per 16 pages of 4 KiB rather than one per page (a system call costs a
// few microseconds here, more than the work on the page; a whole-table count(*) of 10M rows
// takes a quarter of the CPU time), without mapping the file, whose mapped pages would count
// in the process's resident memory. The run is dropped whenever the
// connection takes or leaves a lock (a transaction begins or ends): within one read
// transaction the pages SQLite reads from the database file do not change (a checkpoint only
// copies in pages that the reader reads from the WAL). Journals, the WAL and the shared memory
// pass straight through. Registered once per process; usable from any thread.

#include <sqlite3.h>

namespace Sluice::ReadAheadVfs {

// The VFS name for sqlite3_open_v2(), registered on the first call.
const char *name();

} // namespace Sluice::ReadAheadVfs
