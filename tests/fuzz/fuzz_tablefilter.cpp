// The data view's filter and order (TableFilter) over any table: names of any text, conditions
// on any column with any operator and value. Property: the SQL it builds for a real SQLite
// table of those names prepares, has exactly one placeholder per bound value, and runs; a
// condition or order on a column the table lacks is refused and leaves the filter unchanged.

#include <sqlite3.h>

#include "fuzzcheck.h"
#include "storage/tablefilter.h"

using namespace Sluice;

namespace {

struct Database
{
    sqlite3 *handle = nullptr;
    Database() { sqlite3_open(":memory:", &handle); }
    ~Database() { sqlite3_close(handle); }
};

bool execute(sqlite3 *db, const QString &sql)
{
    return sqlite3_exec(db, sql.toUtf8().constData(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4 || size > 1024)
        return 0;
    // Names come from a real table: no NUL, not empty, distinct (case-insensitively, as SQLite
    // compares them); the table's name is not SQLite's own.
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<QByteArray> lines = bytes.split('\n');
    if (lines.size() < 3)
        return 0;
    const QString table = QString::fromUtf8(lines[0]);
    if (table.isEmpty() || table.contains(QChar(0))
        || table.startsWith(QLatin1String("sqlite_"), Qt::CaseInsensitive))
        return 0;
    QStringList columns;
    qsizetype line = 1;
    for (; line < lines.size() && columns.size() < 4; ++line) {
        const QString name = QString::fromUtf8(lines[line]);
        if (name.isEmpty())
            break; // an empty line ends the columns
        if (name.contains(QChar(0)) || columns.contains(name, Qt::CaseInsensitive)
            || name.compare(QLatin1String("rowid"), Qt::CaseInsensitive) == 0
            || name.compare(QLatin1String("start_timestamp"), Qt::CaseInsensitive) == 0)
            return 0;
        columns << name;
    }
    if (columns.isEmpty())
        return 0;
    ++line;
    const QByteArray rest = line < lines.size() ? lines.mid(line).join('\n') : QByteArray();
    const bool withKey = data[size - 1] & 1;
    const QStringList key = withKey ? QStringList{ columns.first() } : QStringList{};
    QStringList definitions;
    for (const QString &column : columns)
        definitions << TableFilter::quoted(column);
    definitions << QStringLiteral("\"start_timestamp\" INTEGER");
    if (withKey)
        definitions << QStringLiteral("PRIMARY KEY (%1)").arg(TableFilter::quoted(key.first()));
    Database db;
    FUZZ_CHECK(execute(db.handle,
        QStringLiteral("CREATE TABLE %1 (%2)")
            .arg(TableFilter::quoted(table), definitions.join(QStringLiteral(", ")))));
    FUZZ_CHECK(execute(db.handle,
        QStringLiteral("INSERT INTO %1 DEFAULT VALUES").arg(TableFilter::quoted(table))));

    QStringList known = columns;
    known << QStringLiteral("start_timestamp");
    TableFilter filter(table, known, key);
    // The rest: conditions of 3 bytes (column, operator, value length) and the value's bytes,
    // then the order; a column index past the table's names a column it lacks.
    qsizetype at = 0;
    for (int conditions = 0; conditions < 6 && at + 3 <= rest.size(); ++conditions) {
        const int index = quint8(rest[at]) % (known.size() + 1);
        const auto op = TableCondition::Operator(quint8(rest[at + 1]) % 11);
        const int length = qMin<int>(quint8(rest[at + 2]) % 32, int(rest.size() - at - 3));
        const QByteArray raw = rest.mid(at + 3, length);
        at += 3 + length;
        QVariant value;
        switch (raw.isEmpty() ? 0 : quint8(raw[0]) % 4) {
        case 0:
            value = QString::fromUtf8(raw);
            break;
        case 1:
            value = raw.toLongLong();
            break;
        case 2:
            value = raw.toDouble();
            break;
        default:
            value = raw;
            break;
        }
        if (op == TableCondition::Operator::Outside)
            value = QVariantList{ value, value };
        const QString column = index < known.size() ? known[index] : known.join(QString());
        const QString before = filter.from();
        const Result<void> added = filter.addCondition(TableCondition{ column, op, value });
        FUZZ_CHECK(bool(added) == (index < known.size()));
        if (!added)
            FUZZ_CHECK(filter.from() == before);
    }
    if (at < rest.size()) {
        const int index = quint8(rest[at]) % (known.size() + 2);
        const QString column = index < known.size() ? known[index]
            : index == known.size()                 ? QString()
                                                    : known.join(QString());
        const Result<void> ordered = filter.setOrder(
            column, (quint8(rest[at]) & 0x80) ? Qt::DescendingOrder : Qt::AscendingOrder);
        FUZZ_CHECK(bool(ordered) == (index <= known.size()));
        if (at + 1 < rest.size() && (quint8(rest[at + 1]) & 1))
            FUZZ_CHECK(filter.setRange(qint64(quint8(rest[at + 1])) - 100, 200));
    }

    const TableFilter::Seek seek = TableFilter::Seek(size % 3);
    const QString sql = QStringLiteral("SELECT %1, %2%3%4 LIMIT 5")
                            .arg(TableFilter::quotedList(columns), filter.orderList(),
                                filter.from(filter.seek(seek)), filter.orderBy(size & 2));
    const QByteArray utf8 = sql.toUtf8();
    sqlite3_stmt *statement = nullptr;
    const int prepared =
        sqlite3_prepare_v2(db.handle, utf8.constData(), int(utf8.size()), &statement, nullptr);
    if (prepared != SQLITE_OK)
        std::fprintf(stderr, "%s\n%s\n", utf8.constData(), sqlite3_errmsg(db.handle));
    FUZZ_CHECK(prepared == SQLITE_OK);
    const qsizetype placeholders = filter.bindings().size() + filter.orderColumns().size();
    FUZZ_CHECK(sqlite3_bind_parameter_count(statement) == placeholders);
    int parameter = 1;
    for (const QVariant &binding : filter.bindings()) {
        const QVariant bound = TableFilter::bindable(binding);
        int rc = SQLITE_OK;
        if (bound.isNull())
            rc = sqlite3_bind_null(statement, parameter);
        else if (bound.typeId() == QMetaType::LongLong)
            rc = sqlite3_bind_int64(statement, parameter, bound.toLongLong());
        else if (bound.typeId() == QMetaType::Double)
            rc = sqlite3_bind_double(statement, parameter, bound.toDouble());
        else if (bound.typeId() == QMetaType::QByteArray) {
            const QByteArray blob = bound.toByteArray();
            rc = sqlite3_bind_blob(
                statement, parameter, blob.constData(), int(blob.size()), SQLITE_TRANSIENT);
        } else {
            const QByteArray textValue = bound.toString().toUtf8();
            rc = sqlite3_bind_text(statement, parameter, textValue.constData(),
                int(textValue.size()), SQLITE_TRANSIENT);
        }
        FUZZ_CHECK(rc == SQLITE_OK);
        ++parameter;
    }
    for (; parameter <= placeholders; ++parameter)
        FUZZ_CHECK(sqlite3_bind_int64(statement, parameter, 0) == SQLITE_OK);
    int stepped = SQLITE_ROW;
    for (int rows = 0; rows < 5 && stepped == SQLITE_ROW; ++rows)
        stepped = sqlite3_step(statement);
    FUZZ_CHECK(stepped == SQLITE_ROW || stepped == SQLITE_DONE);
    sqlite3_finalize(statement);
    return 0;
}
