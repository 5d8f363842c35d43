#pragma once

// Asks for the parameters of a run: one typed editor a declared parameter (spin box, check
// box or line edit), filled with its default. GUI thread.

#include <QDialog>
#include <QList>
#include <QMap>
#include <QVariantMap>

#include "engine/parameters.h"

namespace Sluice {

class ParametersDialog : public QDialog
{
    Q_OBJECT

public:
    ParametersDialog(const QString &flow, const QList<ParameterSpec> &specs,
        const QVariantMap &initial = {}, QWidget *parent = nullptr);

    QVariantMap values() const;
    // The editor of a parameter, for tests.
    QWidget *editor(const QString &name) const { return m_editors.value(name); }

private:
    QList<ParameterSpec> m_specs;
    QMap<QString, QWidget *> m_editors;
};

} // namespace Sluice
