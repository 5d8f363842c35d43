#include "texttable.h"

#include <algorithm>

#include <QTextStream>

#include "engine/displaytext.h"

namespace Sluice::Cli {

QString TextTable::cell(const QString &text)
{
    QString escaped = escapeControls(text);
    escaped.replace(QLatin1Char('\n'), QLatin1String("\\n"));
    escaped.replace(QLatin1Char('\r'), QLatin1String("\\r"));
    escaped.replace(QLatin1Char('\t'), QLatin1String("\\t"));
    return escaped;
}

void TextTable::addRow(const QStringList &cells)
{
    QStringList row;
    row.reserve(cells.size());
    for (const QString &text : cells)
        row << cell(text);
    m_rows << row;
}

void TextTable::print(QTextStream &stream) const
{
    QList<qsizetype> widths;
    for (const QStringList &row : m_rows) {
        if (widths.size() < row.size())
            widths.resize(row.size(), 0);
        for (qsizetype i = 0; i < row.size(); ++i)
            widths[i] = std::max(widths[i], row[i].size());
    }
    for (const QStringList &row : m_rows) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i)
            line += i + 1 < row.size() ? row[i].leftJustified(widths[i] + 2) : row[i];
        stream << line << '\n';
    }
}

} // namespace Sluice::Cli
