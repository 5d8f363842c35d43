#pragma once

// Runs the built sluice binary as a user would, for the command-line tests: in an environment
// of the tests' making (no SLUICE_DATA_DIR, no display, C.UTF-8 messages), waiting until it
// exits and collecting its exit code and output. Test thread.

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace SluiceProcess {

struct Output
{
    int code = -1; // -1: did not finish in time, -2: crashed
    QString out;
    QString err;
    QByteArray rawOut; // stdout as it came, for byte-exact checks
};

// The system's environment without SLUICE_DATA_DIR, DISPLAY and WAYLAND_DISPLAY, with
// LANG=C.UTF-8, no LANGUAGE and QT_QPA_PLATFORM=offscreen; then changes, where an empty value
// removes the variable.
QProcessEnvironment environment(const QMap<QString, QString> &changes = {});

// Waits for a started process, running this thread's event loop meanwhile (a loopback server
// of the test may have to answer it); on time-out kills it and returns code -1.
Output finish(QProcess &process, int timeoutMs = 30000);

// Runs sluice (or program) with args in environment and waits for it.
Output run(const QStringList &args, const QProcessEnvironment &environment = environment(),
    const QString &program = QStringLiteral(SLUICE_EXECUTABLE), int timeoutMs = 30000);

} // namespace SluiceProcess
