#pragma once

// One typed cell of a row on its way into a table: null, a 64-bit integer, a double or a text.
// Text is held as UTF-8, the form SQLite stores, so a value is converted once, when it is made,
// and copying it shares its bytes. A plain value: it crosses threads by copy.

#include <QByteArray>
#include <QString>
#include <QStringView>
#include <QtGlobal>

namespace Sluice {

class SqlValue
{
public:
    enum class Type { Null, Integer, Real, Text };

    SqlValue() = default;
    SqlValue(qint64 value)
        : m_type(Type::Integer)
        , m_integer(value)
    { }
    SqlValue(int value)
        : SqlValue(qint64(value))
    { }
    SqlValue(double value)
        : m_type(Type::Real)
        , m_real(value)
    { }

    static SqlValue text(QStringView text) { return utf8(text.toUtf8()); }
    static SqlValue utf8(QByteArray text)
    {
        SqlValue value;
        value.m_type = Type::Text;
        value.m_text = std::move(text);
        return value;
    }

    // Make this value an integer or a real in place: cheaper than assigning a new value when
    // refilling a buffer of rows.
    void setInteger(qint64 value)
    {
        m_type = Type::Integer;
        m_integer = value;
        if (!m_text.isNull())
            m_text = QByteArray();
    }
    void setReal(double value)
    {
        m_type = Type::Real;
        m_real = value;
        if (!m_text.isNull())
            m_text = QByteArray();
    }

    Type type() const { return m_type; }
    bool isNull() const { return m_type == Type::Null; }
    // Each valid for its own type only.
    qint64 integer() const { return m_integer; }
    double real() const { return m_real; }
    const QByteArray &utf8Text() const { return m_text; }

    friend bool operator==(const SqlValue &a, const SqlValue &b)
    {
        if (a.m_type != b.m_type)
            return false;
        switch (a.m_type) {
        case Type::Null:
            return true;
        case Type::Integer:
            return a.m_integer == b.m_integer;
        case Type::Real:
            return a.m_real == b.m_real;
        case Type::Text:
            break;
        }
        return a.m_text == b.m_text;
    }

private:
    Type m_type = Type::Null;
    union {
        qint64 m_integer = 0;
        double m_real;
    };
    QByteArray m_text;
};

} // namespace Sluice
