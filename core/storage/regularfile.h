#pragma once

// What a writer that replaces a file by renaming needs to know of its path: the file a chain of
// symbolic links ends at, and whether the path is a regular file (or nothing yet), so that a
// FIFO, a device or a folder is never renamed over (STYLE.md). Pure functions; any thread.

#include <QString>

namespace Sluice {

class RegularFile
{
public:
    // The file a chain of symbolic links ends at, also when it does not exist yet; path itself
    // when it is no link.
    static QString linkTarget(const QString &path);
    // Whether path (a link itself, not followed) is a regular file or does not exist.
    static bool isRegularOrMissing(const QString &path);
};

} // namespace Sluice
