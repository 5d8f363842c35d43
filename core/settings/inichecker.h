#pragma once

// Checks settings.ini as bytes before Settings reads or rewrites it: a file QSettings cannot
// read, or whose text it would misread or drop when it writes the file back, is named with its
// line and what is wrong. Plain functions; any thread.

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

#include "engine/result.h"

namespace Sluice {

class IniChecker
{
    Q_DECLARE_TR_FUNCTIONS(Sluice::IniChecker)

public:
    // A settings file is small; anything larger is not one (and is not read whole).
    static constexpr qint64 MaximumSize = 1024 * 1024;

    // Nothing when path does not exist or holds INI text that QSettings reads as written; else
    // an Error (where: path) saying what is wrong, "line 3 is neither …" where it can.
    static Result<void> checkFile(const QString &path);
    // The same for text already read; the Error has no where.
    static Result<void> checkText(const QByteArray &text);
    // Whether QSettings may open path at all: missing, or a regular file of a sane size. A
    // FIFO would block the reader, a device might never end.
    static bool isSafeToOpen(const QString &path);
};

} // namespace Sluice
