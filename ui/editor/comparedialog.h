#pragma once

// Shows the file on disk and the editor's unsaved text side by side, read-only, so that the
// user can choose between them (FlowEditor's "Compare"). Not modal. GUI thread.

#include <QDialog>

class QPlainTextEdit;

namespace Sluice {

class CompareDialog : public QDialog
{
    Q_OBJECT

public:
    CompareDialog(const QString &fileName, const QString &onDisk, const QString &mine,
        QWidget *parent = nullptr);

    QString diskText() const;
    QString mineText() const;

private:
    QPlainTextEdit *m_disk;
    QPlainTextEdit *m_mine;
};

} // namespace Sluice
