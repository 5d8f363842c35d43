#include "storage/readaheadvfs.h"

#include <algorithm>
#include <cstring>
#include <mutex>

namespace Sluice::ReadAheadVfs {

namespace {

    constexpr int RunBytes = 64 * 1024;

    // A file of the default VFS (allocated right after this struct) and, for a main
    // database file, the run last read from it.
    struct File
    {
        sqlite3_file base;
        sqlite3_file *real;
        char *run; // RunBytes, or null: reads pass through
        sqlite3_int64 runStart;
        int runLength; // valid bytes from runStart; 0 when dropped
        sqlite3_int64 size; // of the file when the run was last filled; -1 when dropped
    };

    sqlite3_vfs s_vfs;
    sqlite3_vfs *s_default = nullptr;
    sqlite3_io_methods s_methods;
    std::once_flag s_registered;
    std::once_flag s_methodsMade;

    File *fileOf(sqlite3_file *file)
    {
        return reinterpret_cast<File *>(file);
    }

    sqlite3_file *realOf(sqlite3_file *file)
    {
        return fileOf(file)->real;
    }

    void drop(sqlite3_file *file)
    {
        fileOf(file)->runLength = 0;
        fileOf(file)->size = -1;
    }

    int close(sqlite3_file *file)
    {
        File *self = fileOf(file);
        const int rc = self->real->pMethods->xClose(self->real);
        sqlite3_free(self->run);
        self->run = nullptr;
        return rc;
    }

    int read(sqlite3_file *file, void *out, int amount, sqlite3_int64 offset)
    {
        File *self = fileOf(file);
        sqlite3_file *real = self->real;
        if (!self->run || amount > RunBytes)
            return real->pMethods->xRead(real, out, amount, offset);
        if (self->runLength == 0 || offset < self->runStart
            || offset + amount > self->runStart + self->runLength) {
            // The size as of the last lock: a file that grew since is read past it directly,
            // one that shrank answers a short read below.
            int rc = SQLITE_OK;
            if (self->size < 0
                && (rc = real->pMethods->xFileSize(real, &self->size)) != SQLITE_OK) {
                self->size = -1;
                return rc;
            }
            const int length = int(std::min<sqlite3_int64>(RunBytes, self->size - offset));
            if (length < amount) // past the end: the default VFS says so its own way
                return real->pMethods->xRead(real, out, amount, offset);
            self->runLength = 0;
            rc = real->pMethods->xRead(real, self->run, length, offset);
            if (rc != SQLITE_OK)
                return rc == SQLITE_IOERR_SHORT_READ
                    ? real->pMethods->xRead(real, out, amount, offset)
                    : rc;
            self->runStart = offset;
            self->runLength = length;
        }
        std::memcpy(out, self->run + (offset - self->runStart), size_t(amount));
        return SQLITE_OK;
    }

    int write(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset)
    {
        drop(file);
        return realOf(file)->pMethods->xWrite(realOf(file), data, amount, offset);
    }

    int truncate(sqlite3_file *file, sqlite3_int64 size)
    {
        drop(file);
        return realOf(file)->pMethods->xTruncate(realOf(file), size);
    }

    int sync(sqlite3_file *file, int flags)
    {
        return realOf(file)->pMethods->xSync(realOf(file), flags);
    }

    int fileSize(sqlite3_file *file, sqlite3_int64 *size)
    {
        return realOf(file)->pMethods->xFileSize(realOf(file), size);
    }

    int lock(sqlite3_file *file, int level)
    {
        drop(file);
        return realOf(file)->pMethods->xLock(realOf(file), level);
    }

    int unlock(sqlite3_file *file, int level)
    {
        drop(file);
        return realOf(file)->pMethods->xUnlock(realOf(file), level);
    }

    int checkReservedLock(sqlite3_file *file, int *result)
    {
        return realOf(file)->pMethods->xCheckReservedLock(realOf(file), result);
    }

    int fileControl(sqlite3_file *file, int op, void *argument)
    {
        return realOf(file)->pMethods->xFileControl(realOf(file), op, argument);
    }

    int sectorSize(sqlite3_file *file)
    {
        return realOf(file)->pMethods->xSectorSize(realOf(file));
    }

    int deviceCharacteristics(sqlite3_file *file)
    {
        return realOf(file)->pMethods->xDeviceCharacteristics(realOf(file));
    }

    int shmMap(sqlite3_file *file, int region, int size, int extend, void volatile **memory)
    {
        return realOf(file)->pMethods->xShmMap(realOf(file), region, size, extend, memory);
    }

    // A WAL reader begins and ends its read transactions with these locks.
    int shmLock(sqlite3_file *file, int offset, int count, int flags)
    {
        drop(file);
        return realOf(file)->pMethods->xShmLock(realOf(file), offset, count, flags);
    }

    void shmBarrier(sqlite3_file *file)
    {
        realOf(file)->pMethods->xShmBarrier(realOf(file));
    }

    int shmUnmap(sqlite3_file *file, int deleteFlag)
    {
        drop(file);
        return realOf(file)->pMethods->xShmUnmap(realOf(file), deleteFlag);
    }

    int fetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **page)
    {
        // No mapping: SQLite reads the page instead.
        (void)file;
        (void)offset;
        (void)amount;
        *page = nullptr;
        return SQLITE_OK;
    }

    int unfetch(sqlite3_file *file, sqlite3_int64 offset, void *page)
    {
        (void)file;
        (void)offset;
        (void)page;
        return SQLITE_OK;
    }

    int open(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags)
    {
        File *self = fileOf(file);
        self->base.pMethods = nullptr;
        self->real = reinterpret_cast<sqlite3_file *>(self + 1);
        self->run = nullptr;
        self->runStart = 0;
        self->runLength = 0;
        self->size = -1;
        const int rc = s_default->xOpen(s_default, name, self->real, flags, outFlags);
        if (rc != SQLITE_OK)
            return rc;
        std::call_once(s_methodsMade, [&] {
            s_methods = sqlite3_io_methods{ std::min(self->real->pMethods->iVersion, 3), close,
                read, write, truncate, sync, fileSize, lock, unlock, checkReservedLock, fileControl,
                sectorSize, deviceCharacteristics, shmMap, shmLock, shmBarrier, shmUnmap, fetch,
                unfetch };
        });
        if (flags & SQLITE_OPEN_MAIN_DB)
            self->run = static_cast<char *>(sqlite3_malloc(RunBytes));
        self->base.pMethods = &s_methods;
        return SQLITE_OK;
    }

} // namespace

const char *name()
{
    std::call_once(s_registered, [] {
        s_default = sqlite3_vfs_find(nullptr);
        s_vfs = *s_default;
        s_vfs.zName = "sluice-readahead";
        s_vfs.szOsFile = int(sizeof(File)) + s_default->szOsFile;
        s_vfs.pNext = nullptr;
        s_vfs.xOpen = open;
        sqlite3_vfs_register(&s_vfs, 0);
    });
    return s_vfs.zName;
}

} // namespace Sluice::ReadAheadVfs
