#include "models/cellformat.h"

#include <algorithm>
#include <cmath>

#include "storage/pythonfloat.h"

namespace Sluice {

int CellFormat::decimalsFor(const QVariantList &values)
{
    int decimals = 0;
    for (const QVariant &value : values) {
        if (value.typeId() != QMetaType::Double || !std::isfinite(value.toDouble()))
            continue;
        // The shortest digits that read back to the same double, in plain notation.
        const QString text = QString::number(value.toDouble(), 'f', QLocale::FloatingPointShortest);
        const qsizetype point = text.indexOf(QLatin1Char('.'));
        if (point >= 0)
            decimals = std::max(decimals, int(text.size() - point - 1));
        if (decimals >= MaxDecimals)
            return MaxDecimals;
    }
    return decimals;
}

QString CellFormat::number(const QLocale &locale, const QVariant &value, int decimals)
{
    switch (value.typeId()) {
    case QMetaType::Double: {
        const double number = value.toDouble();
        if (!std::isfinite(number))
            return PythonFloat::toString(number);
        return locale.toString(number, 'f', std::clamp(decimals, 0, MaxDecimals));
    }
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
        return locale.toString(value.toLongLong());
    case QMetaType::ULongLong:
        return locale.toString(value.toULongLong());
    default:
        return value.toString();
    }
}

QString CellFormat::exact(const QVariant &value)
{
    if (value.typeId() == QMetaType::Double)
        return PythonFloat::toString(value.toDouble());
    return value.toString();
}

bool CellFormat::isNumber(const QVariant &value)
{
    switch (value.typeId()) {
    case QMetaType::Double:
    case QMetaType::LongLong:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return true;
    default:
        return false;
    }
}

} // namespace Sluice
