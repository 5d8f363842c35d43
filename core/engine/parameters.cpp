#include "engine/parameters.h"

#include <algorithm>
#include <cmath>

#include <QCoreApplication>

namespace Sluice {

namespace {

    QString where(const QString &flowName)
    {
        return QCoreApplication::translate("Sluice::Parameters", "flow \"%1\"").arg(flowName);
    }

    QString valueText(const ParameterSpec &spec)
    {
        if (spec.type == ParameterType::String)
            return QLatin1Char('"') + spec.defaultValue.toString() + QLatin1Char('"');
        if (spec.defaultValue.typeId() == QMetaType::Bool)
            return spec.defaultValue.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        return spec.defaultValue.toString();
    }

} // namespace

QString Parameters::typeName(ParameterType type)
{
    switch (type) {
    case ParameterType::Int:
        return QStringLiteral("int");
    case ParameterType::Double:
        return QStringLiteral("double");
    case ParameterType::Bool:
        return QStringLiteral("bool");
    case ParameterType::String:
        break;
    }
    return QStringLiteral("string");
}

QString Parameters::allowedText(ParameterType type)
{
    switch (type) {
    case ParameterType::Int:
        return QCoreApplication::translate("Sluice::Parameters", "a whole number");
    case ParameterType::Double:
        return QCoreApplication::translate("Sluice::Parameters", "a number");
    case ParameterType::Bool:
        return QCoreApplication::translate("Sluice::Parameters", "true or false");
    case ParameterType::String:
        break;
    }
    return QCoreApplication::translate("Sluice::Parameters", "any text");
}

QString Parameters::boundsText(const ParameterSpec &spec)
{
    if (spec.minimum && spec.maximum)
        return QStringLiteral("%1..%2").arg(*spec.minimum).arg(*spec.maximum);
    if (spec.minimum)
        return QCoreApplication::translate("Sluice::Parameters", "at least %1").arg(*spec.minimum);
    if (spec.maximum)
        return QCoreApplication::translate("Sluice::Parameters", "at most %1").arg(*spec.maximum);
    return {};
}

Result<QVariant> Parameters::convert(const ParameterSpec &spec, const QVariant &value)
{
    const bool isText = value.typeId() == QMetaType::QString;
    const QString text = value.toString().trimmed();
    auto refuse = [&] {
        return Error{ QCoreApplication::translate(
                          "Sluice::Parameters", "parameter \"%1\" must be %2 (%3), not \"%4\"")
                          .arg(spec.name, allowedText(spec.type), typeName(spec.type),
                              value.toString()),
            {} };
    };
    bool ok = false;
    switch (spec.type) {
    case ParameterType::Int: {
        const qlonglong number = isText ? text.toLongLong(&ok) : value.toLongLong(&ok);
        if (!ok
            || (!isText && value.typeId() == QMetaType::Double
                && value.toDouble() != std::floor(value.toDouble())))
            return refuse();
        if ((spec.minimum && number < *spec.minimum) || (spec.maximum && number > *spec.maximum))
            return Error{ QCoreApplication::translate(
                              "Sluice::Parameters", "parameter \"%1\" is out of range %2: %3")
                              .arg(spec.name, boundsText(spec), QString::number(number)),
                {} };
        return QVariant(number);
    }
    case ParameterType::Double: {
        const double number = isText ? text.toDouble(&ok) : value.toDouble(&ok);
        if (!ok || !std::isfinite(number))
            return refuse();
        return QVariant(number);
    }
    case ParameterType::Bool:
        if (!isText && value.typeId() == QMetaType::Bool)
            return value;
        for (const char *yes : { "true", "1", "yes", "on" }) {
            if (text.compare(QLatin1String(yes), Qt::CaseInsensitive) == 0)
                return QVariant(true);
        }
        for (const char *no : { "false", "0", "no", "off" }) {
            if (text.compare(QLatin1String(no), Qt::CaseInsensitive) == 0)
                return QVariant(false);
        }
        return refuse();
    case ParameterType::String:
        break;
    }
    return QVariant(value.toString());
}

Result<QVariantMap> Parameters::resolve(
    const QList<ParameterSpec> &specs, const QVariantMap &given, const QString &flowName)
{
    for (auto it = given.cbegin(); it != given.cend(); ++it) {
        const bool known = std::any_of(specs.cbegin(), specs.cend(),
            [&](const ParameterSpec &spec) { return spec.name == it.key(); });
        if (!known) {
            const QString what = specs.isEmpty()
                ? QCoreApplication::translate(
                    "Sluice::Parameters", "unknown parameter \"%1\"; this flow takes no parameters")
                      .arg(it.key())
                : QCoreApplication::translate(
                    "Sluice::Parameters", "unknown parameter \"%1\"; the parameters are %2")
                      .arg(it.key(), describe(specs));
            return Error{ what, where(flowName) };
        }
    }
    QVariantMap values;
    for (const ParameterSpec &spec : specs) {
        const auto found = given.constFind(spec.name);
        Result<QVariant> value = convert(spec, found == given.cend() ? spec.defaultValue : *found);
        if (!value)
            return Error{ value.error().what, where(flowName) };
        values.insert(spec.name, *value);
    }
    return values;
}

Result<QVariantMap> Parameters::parseAssignments(const QStringList &assignments)
{
    QVariantMap values;
    for (const QString &assignment : assignments) {
        const qsizetype equals = assignment.indexOf(QLatin1Char('='));
        const QString name = assignment.left(equals).trimmed();
        if (equals < 0)
            return Error{ QCoreApplication::translate("Sluice::Parameters",
                              "parameter \"%1\" has no value; write it as %1=VALUE")
                              .arg(name),
                {} };
        if (name.isEmpty())
            return Error{ QCoreApplication::translate("Sluice::Parameters",
                              "\"%1\" names no parameter; write it as NAME=VALUE")
                              .arg(assignment),
                {} };
        if (values.contains(name))
            return Error{ QCoreApplication::translate(
                              "Sluice::Parameters", "parameter \"%1\" is given more than once")
                              .arg(name),
                {} };
        values.insert(name, assignment.mid(equals + 1));
    }
    return values;
}

QString Parameters::describe(const QList<ParameterSpec> &specs)
{
    QStringList parts;
    for (const ParameterSpec &spec : specs) {
        const QString bounds = boundsText(spec);
        const QString type = bounds.isEmpty() ? typeName(spec.type)
                                              : typeName(spec.type) + QLatin1Char(' ') + bounds;
        parts << QCoreApplication::translate("Sluice::Parameters", "%1 (%2, default %3)")
                     .arg(spec.name, type, valueText(spec));
    }
    return parts.join(QStringLiteral(", "));
}

} // namespace Sluice
