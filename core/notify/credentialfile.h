#pragma once

// The opt-in credentials file of a data folder: the SMTP password, UTF-8, in a file that only
// its owner may read (mode 0600). Created with that mode from the start and renamed into
// place; refused on reading when others could read it. A plain value; any thread.

#include <QCoreApplication>
#include <QString>

#include "engine/result.h"

namespace Sluice {

class CredentialFile
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::CredentialFile)

public:
    explicit CredentialFile(const QString &path);

    QString path() const { return m_path; }
    bool exists() const;

    // The password. Fails, naming the file and how to fix it, when the file is not a regular
    // file of this user or when its group or others have any access to it.
    Result<QString> read() const;
    // Replaces the file: a new file opened 0600 (whatever the umask), written, flushed to
    // disk and renamed over the old one.
    Result<void> write(const QString &password) const;
    // Removes the file; success when there was none.
    Result<void> remove() const;

private:
    QString m_path;
};

} // namespace Sluice
