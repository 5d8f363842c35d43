#pragma once

// Saves a flow file's text as the editor does: atomically (QSaveFile: a temporary file beside
// the target renamed over it, so a reader sees the old or the new bytes, never half), through
// a symbolic link to its target (the link stays), and never over a path that exists and is
// not a regular file (a FIFO, a device, a folder). Pure function on files; any thread.

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include "engine/result.h"

namespace Sluice {

class FlowFileWriter
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::FlowFileWriter)

public:
    // The file a chain of symbolic links ends at (also when it does not exist yet); path
    // itself when it is no link.
    static QString resolvedPath(const QString &path);
    // Writes bytes to path. Errors: ErrorCode::Permanent for a path that is not a regular file
    // (or whose folder is missing), Unspecified for a failed write; where is the path.
    static Result<void> write(const QString &path, const QByteArray &bytes);
};

} // namespace Sluice
