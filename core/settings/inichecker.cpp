#include "settings/inichecker.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QStringDecoder>

namespace Sluice {

namespace {

    // What QSettings skips between lines (its "space" characters).
    bool isIniSpace(char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
    }

    Error problem(const QString &what)
    {
        return Error{ what, QString(), ErrorCode::Permanent };
    }

    // Text only: no NUL, no C0 control character but tab and line ends (QSettings writes those
    // escaped; it writes DEL as it is), UTF-8 throughout. QSettings would read a NUL into a
    // value and replace bytes that are not UTF-8 without a word.
    Result<void> checkCharacters(const QByteArray &text)
    {
        if (text.startsWith("\xEF\xBB\xBF"))
            return problem(IniChecker::tr("line 1 starts with a byte-order mark, which the INI "
                                          "reader takes for part of a line; save the file as "
                                          "UTF-8 without one"));
        int line = 1;
        qsizetype lineStart = 0;
        for (qsizetype i = 0; i <= text.size(); ++i) {
            const char c = i == text.size() ? '\n' : text.at(i);
            if (c == '\n') {
                QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
                // The decoding happens when the result becomes a QString.
                const QString decoded = utf8(QByteArrayView(text).sliced(lineStart, i - lineStart));
                if (utf8.hasError())
                    return problem(IniChecker::tr("line %1 is not UTF-8 text").arg(line));
                ++line;
                lineStart = i + 1;
                continue;
            }
            const uchar byte = uchar(c);
            if (byte == 0)
                return problem(
                    IniChecker::tr("line %1 contains a NUL byte; this is not a text file")
                        .arg(line));
            if (byte < 0x20 && c != '\t' && c != '\r' && c != '\v' && c != '\f')
                return problem(
                    IniChecker::tr("line %1 contains the control character 0x%2")
                        .arg(line)
                        .arg(QString::number(byte, 16).rightJustified(2, QLatin1Char('0'))));
        }
        return {};
    }

    // Lines as QSettings splits them (qsettings.cpp, readIniLine): a ; outside quotes ends a
    // line, a quote runs on over line ends, a backslash escapes the next character (a line end
    // too). Each line must be a [section], key=value, a ; comment or blank; a key set twice
    // keeps only one value.
    Result<void> checkLines(const QByteArray &text)
    {
        const qsizetype size = text.size();
        int line = 1;
        qsizetype i = 0;
        QByteArray section;
        QHash<QByteArray, int> seen; // "section/key" -> the line that set it
        while (i < size) {
            while (i < size && isIniSpace(text.at(i))) {
                if (text.at(i) == '\n')
                    ++line;
                ++i;
            }
            if (i == size)
                break;
            if (text.at(i) == ';') {
                while (i < size && text.at(i) != '\n' && text.at(i) != '\r')
                    ++i;
                continue;
            }

            const int startLine = line;
            const qsizetype start = i;
            bool inQuotes = false;
            qsizetype equals = -1;
            while (i < size) {
                const char c = text.at(i);
                if (c == '\n' || c == '\r')
                    break; // inside quotes too: QSettings would go on, which is reported below
                if (c == '\\') {
                    ++i;
                    if (i < size) {
                        const char escaped = text.at(i++);
                        if (escaped == '\n')
                            ++line;
                        if (i < size
                            && ((escaped == '\n' && text.at(i) == '\r')
                                || (escaped == '\r' && text.at(i) == '\n'))) {
                            if (text.at(i) == '\n')
                                ++line;
                            ++i;
                        }
                    }
                    continue;
                }
                if (c == '"')
                    inQuotes = !inQuotes;
                else if (c == '=' && !inQuotes && equals < 0)
                    equals = i;
                else if (c == ';' && !inQuotes)
                    break; // the rest of the line is a comment
                ++i;
            }
            if (inQuotes)
                return problem(IniChecker::tr("line %1 opens a quote (\") that it does not close; "
                                              "the INI reader would take the lines after it into "
                                              "the value")
                                   .arg(startLine));

            const QByteArray content = text.mid(start, i - start).trimmed();
            if (content.startsWith('[')) {
                const qsizetype close = content.indexOf(']');
                if (close < 0)
                    return problem(
                        IniChecker::tr("line %1 starts a [section] without its closing ]")
                            .arg(startLine));
                if (close != content.size() - 1)
                    return problem(IniChecker::tr("line %1 has text after the ] of its section")
                                       .arg(startLine));
                section = content.mid(1, close - 1).trimmed();
                if (section.isEmpty())
                    return problem(
                        IniChecker::tr("line %1 is a section without a name").arg(startLine));
                if (section.compare("general", Qt::CaseInsensitive) == 0)
                    section.clear();
                continue;
            }
            if (content.startsWith('#'))
                return problem(IniChecker::tr("line %1 starts with #, which does not begin a "
                                              "comment here (a semicolon does)")
                                   .arg(startLine));
            if (equals < 0)
                return problem(IniChecker::tr("line %1 is neither a [section], a key=value line, "
                                              "a ; comment nor blank")
                                   .arg(startLine));
            const QByteArray key = text.mid(start, equals - start).trimmed();
            if (key.isEmpty())
                return problem(IniChecker::tr("line %1 has no key before =").arg(startLine));
            const QByteArray fullKey = section.isEmpty() ? key : section + '/' + key;
            if (const auto first = seen.constFind(fullKey); first != seen.constEnd()) {
                return problem(
                    IniChecker::tr("line %1 sets %2 again (first on line %3); only one value "
                                   "would be kept")
                        .arg(startLine)
                        .arg(QString::fromUtf8(fullKey).replace(QLatin1Char('/'), QLatin1Char('.')))
                        .arg(*first));
            }
            seen.insert(fullKey, startLine);
        }
        return {};
    }

} // namespace

Result<void> IniChecker::checkText(const QByteArray &text)
{
    if (Result<void> ok = checkCharacters(text); !ok)
        return ok;
    return checkLines(text);
}

Result<void> IniChecker::checkFile(const QString &path)
{
    const QFileInfo info(path);
    auto failed = [&path](const QString &what) {
        return Error{ what, path, ErrorCode::Permanent };
    };
    if (!info.exists())
        return {};
    if (info.isDir())
        return failed(tr("it is a folder, not a settings file"));
    if (!info.isFile())
        return failed(tr("it is not a regular file (a device, FIFO or socket)"));
    if (info.size() > MaximumSize)
        return failed(
            tr("it is larger than %1 KiB, which no settings file is").arg(MaximumSize / 1024));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return failed(tr("cannot read it: %1").arg(file.errorString()));
    const QByteArray text = file.read(MaximumSize + 1);
    if (file.error() != QFileDevice::NoError)
        return failed(tr("cannot read it: %1").arg(file.errorString()));
    if (text.size() > MaximumSize)
        return failed(
            tr("it is larger than %1 KiB, which no settings file is").arg(MaximumSize / 1024));
    if (Result<void> ok = checkText(text); !ok)
        return failed(ok.error().what);
    return {};
}

bool IniChecker::isSafeToOpen(const QString &path)
{
    const QFileInfo info(path);
    return !info.exists() || (info.isFile() && info.size() <= MaximumSize);
}

} // namespace Sluice
