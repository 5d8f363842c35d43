#pragma once

// The device under the command line's out() and err() streams: takes the UTF-8 they encode,
// escapes control characters (escapeControls(): all but tab and newline, DEL, C1, bidi
// overrides) and writes the result to a C stream, flushed at once. So no text a server, a
// step or a file sent reaches the terminal raw, whichever message quotes it. Main thread.

#include <cstdio>

#include <QIODevice>
#include <QStringDecoder>

namespace Sluice::Cli {

class TerminalWriter : public QIODevice
{
public:
    explicit TerminalWriter(std::FILE *stream);

    bool isSequential() const override { return true; }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    std::FILE *m_stream;
    QStringDecoder m_decoder; // keeps a character split between two writes
};

} // namespace Sluice::Cli
