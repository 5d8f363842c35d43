#pragma once

// The bar above the editor that says the file changed or vanished on disk while it was being
// edited, and offers the choices; the user's text stays until they choose. GUI thread.

#include <QFrame>

class QLabel;
class QPushButton;

namespace Sluice {

class DiskChangeBar : public QFrame
{
    Q_OBJECT

public:
    explicit DiskChangeBar(QWidget *parent = nullptr);

    // "The file changed on disk": Reload (discard my edits), Keep mine, Compare.
    void showChanged();
    // "The file was deleted on disk": Save writes it again.
    void showDeleted();

    QPushButton *reloadButton() const { return m_reload; }
    QPushButton *keepButton() const { return m_keep; }
    QPushButton *compareButton() const { return m_compare; }
    QString text() const;

Q_SIGNALS:
    void reloadRequested();
    void keepRequested();
    void compareRequested();

private:
    QLabel *m_label;
    QPushButton *m_reload;
    QPushButton *m_keep;
    QPushButton *m_compare;
};

} // namespace Sluice
