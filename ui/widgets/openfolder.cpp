#include "widgets/openfolder.h"

#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QMessageBox>
#include <QUrl>

#include "engine/displaytext.h"

namespace Sluice {

bool openFolder(const QString &folder, QWidget *parent)
{
    if (QDesktopServices::openUrl(QUrl::fromLocalFile(folder)))
        return true;
    auto *box = new QMessageBox(QMessageBox::Information,
        QCoreApplication::translate("Sluice::OpenFolder", "Cannot open the folder"),
        QCoreApplication::translate(
            "Sluice::OpenFolder", "No file manager answered. The folder is:\n%1")
            .arg(escapeControls(QDir::toNativeSeparators(folder))),
        QMessageBox::Close, parent);
    box->setObjectName(QStringLiteral("openFolderFailed"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setTextFormat(Qt::PlainText);
    box->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    box->open();
    return false;
}

} // namespace Sluice
