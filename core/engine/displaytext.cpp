#include "engine/displaytext.h"

namespace Sluice {

namespace {

    bool needsEscape(char16_t c)
    {
        if (c < 0x20)
            return c != u'\t' && c != u'\n';
        if (c >= 0x7f && c <= 0x9f) // DEL and the C1 controls (CSI is U+009B)
            return true;
        return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069); // bidi overrides
    }

    void appendEscape(QString &out, char16_t c)
    {
        static const char digits[] = "0123456789abcdef";
        if (c == u'\r') {
            out += QLatin1String("\\r");
            return;
        }
        if (c < 0x100) {
            out += QLatin1String("\\x");
        } else {
            out += QLatin1String("\\u");
            out += QLatin1Char(digits[(c >> 12) & 0xf]);
            out += QLatin1Char(digits[(c >> 8) & 0xf]);
        }
        out += QLatin1Char(digits[(c >> 4) & 0xf]);
        out += QLatin1Char(digits[c & 0xf]);
    }

} // namespace

QString escapeControls(QStringView text)
{
    qsizetype first = 0;
    while (first < text.size() && !needsEscape(text[first].unicode()))
        ++first;
    if (first == text.size())
        return text.toString();
    QString out;
    out.reserve(text.size() + 16);
    out += text.first(first);
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text[i].unicode();
        if (needsEscape(c))
            appendEscape(out, c);
        else
            out += QChar(c);
    }
    return out;
}

} // namespace Sluice
