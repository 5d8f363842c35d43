#pragma once

// Where an export's bytes go, opened as the path asks. A new or regular file is written under a
// temporary name beside it and renamed over it only by commit(); a path that exists and is not a
// regular file (a device, a FIFO, /dev/stdout) is written in place, as a shell redirection
// would, and never renamed over; a folder is refused. Lives on the thread that writes.

#include <memory>

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"

class QFileDevice;
class QIODevice;

namespace Sluice {

class CsvOutputFile
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::CsvOutputFile)

public:
    // Errors name path as given. A symbolic link is followed, never replaced: a link to a
    // regular file gets its target replaced, a dangling link gets its target created.
    // /dev/stdout, /dev/stderr, /dev/fd/N and /proc/self/fd/N write to the descriptor this
    // process already has, so that `>> log` appends as it does for other tools.
    static Result<CsvOutputFile> open(const QString &path);

    CsvOutputFile(CsvOutputFile &&) noexcept;
    CsvOutputFile &operator=(CsvOutputFile &&) noexcept;
    ~CsvOutputFile(); // an uncommitted temporary file is removed

    QIODevice *device() const;
    bool isInPlace() const { return m_replaced.isEmpty(); }

    // Renames the temporary file over the target; in place there is nothing left to do.
    Result<void> commit();

private:
    CsvOutputFile(const QString &path, const QString &replaced, std::unique_ptr<QFileDevice> file);
    static Result<CsvOutputFile> openInPlace(const QString &path);
    static Result<CsvOutputFile> openDescriptor(const QString &path, int descriptor);
    static Result<CsvOutputFile> openReplacing(const QString &path, const QString &target);

    QString m_path; // as given, for messages
    QString m_replaced; // the regular file renamed over, links resolved; empty in place
    std::unique_ptr<QFileDevice> m_file;
};

} // namespace Sluice
