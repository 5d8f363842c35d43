#include "dialogs/parametersdialog.h"

#include <algorithm>
#include <limits>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Sluice {

ParametersDialog::ParametersDialog(const QString &flow, const QList<ParameterSpec> &specs,
    const QVariantMap &initial, QWidget *parent)
    : QDialog(parent)
    , m_specs(specs)
{
    setObjectName(QStringLiteral("parametersDialog"));
    setWindowTitle(tr("Run %1").arg(flow));
    setMinimumWidth(380);
    auto *intro = new QLabel(tr("Parameters of this run of \"%1\":").arg(flow));
    auto *form = new QFormLayout;
    for (const ParameterSpec &spec : specs) {
        const QVariant value = initial.value(spec.name, spec.defaultValue);
        QWidget *editor = nullptr;
        switch (spec.type) {
        case ParameterType::Int: {
            // The spec's bounds, so that a value out of range cannot be entered.
            constexpr qint64 lowest = std::numeric_limits<int>::min();
            constexpr qint64 highest = std::numeric_limits<int>::max();
            auto *spin = new QSpinBox;
            spin->setRange(int(std::clamp(spec.minimum.value_or(lowest), lowest, highest)),
                int(std::clamp(spec.maximum.value_or(highest), lowest, highest)));
            spin->setValue(int(std::clamp(value.toLongLong(), lowest, highest)));
            editor = spin;
            break;
        }
        case ParameterType::Double: {
            auto *spin = new QDoubleSpinBox;
            spin->setDecimals(6);
            spin->setRange(-1e12, 1e12);
            spin->setValue(value.toDouble());
            editor = spin;
            break;
        }
        case ParameterType::Bool: {
            auto *check = new QCheckBox(spec.description);
            check->setChecked(value.toBool());
            editor = check;
            break;
        }
        case ParameterType::String:
        case ParameterType::Date: {
            auto *line = new QLineEdit(value.toString());
            if (spec.type == ParameterType::Date)
                line->setPlaceholderText(QStringLiteral("YYYY-MM-DD"));
            line->setMinimumWidth(fontMetrics().averageCharWidth() * 30);
            editor = line;
            break;
        }
        }
        editor->setObjectName(spec.name);
        const QString bounds = Parameters::boundsText(spec);
        editor->setToolTip(bounds.isEmpty()
                ? tr("%1 (%2, default %3)")
                      .arg(spec.description, Parameters::typeName(spec.type),
                          spec.defaultValue.toString())
                : tr("%1 (%2 %3, default %4)")
                      .arg(spec.description, Parameters::typeName(spec.type), bounds,
                          spec.defaultValue.toString()));
        m_editors.insert(spec.name, editor);
        form->addRow(spec.name + QLatin1Char(':'), editor);
        if (spec.type != ParameterType::Bool && !spec.description.isEmpty()) {
            auto *hint = new QLabel(spec.description);
            hint->setEnabled(false);
            hint->setWordWrap(true);
            form->addRow(QString(), hint);
        }
    }
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Run"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
}

QVariantMap ParametersDialog::values() const
{
    QVariantMap values;
    for (const ParameterSpec &spec : m_specs) {
        QWidget *editor = m_editors.value(spec.name);
        if (auto *spin = qobject_cast<QSpinBox *>(editor))
            values.insert(spec.name, spin->value());
        else if (auto *real = qobject_cast<QDoubleSpinBox *>(editor))
            values.insert(spec.name, real->value());
        else if (auto *check = qobject_cast<QCheckBox *>(editor))
            values.insert(spec.name, check->isChecked());
        else if (auto *line = qobject_cast<QLineEdit *>(editor))
            values.insert(spec.name, line->text());
    }
    return values;
}

} // namespace Sluice
