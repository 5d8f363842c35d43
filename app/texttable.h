#pragma once

// Rows of text printed as aligned columns (sluice runs): each cell has its control characters
// escaped, newlines and tabs included, so that no cell breaks the layout, then each column is
// padded to its widest cell. The last column is not padded.

#include <QList>
#include <QStringList>

class QTextStream;

namespace Sluice::Cli {

class TextTable
{
public:
    void addRow(const QStringList &cells);
    void print(QTextStream &stream) const;
    qsizetype rowCount() const { return m_rows.size(); }

    // escapeControls() and then \n, \r and \t as those two-character escapes: one line.
    static QString cell(const QString &text);

private:
    QList<QStringList> m_rows;
};

} // namespace Sluice::Cli
