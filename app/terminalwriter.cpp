#include "terminalwriter.h"

#include "engine/displaytext.h"

namespace Sluice::Cli {

TerminalWriter::TerminalWriter(std::FILE *stream)
    : m_stream(stream)
    , m_decoder(QStringDecoder::Utf8)
{
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

qint64 TerminalWriter::readData(char *, qint64)
{
    return -1;
}

qint64 TerminalWriter::writeData(const char *data, qint64 size)
{
    const QString text = m_decoder.decode(QByteArrayView(data, size));
    const QByteArray shown = escapeControls(text).toUtf8();
    if (!shown.isEmpty() && std::fwrite(shown.constData(), 1, size_t(shown.size()), m_stream) == 0)
        return -1;
    std::fflush(m_stream);
    return size;
}

} // namespace Sluice::Cli
