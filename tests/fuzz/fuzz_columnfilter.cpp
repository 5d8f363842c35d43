// The Data area's filter box under a column header (ColumnFilter) over any text, for a text,
// number or time column, in UTC or local time, in the C or a German locale. Properties: it
// answers conditions or an error naming the column, never more than two conditions; numbers are
// integers or finite doubles, times whole seconds in years 1-9999, a time range's start before
// its end; and the conditions, given to TableFilter, make SQL that prepares with one placeholder
// per bound value and runs on a real SQLite table.

#include <cmath>

#include <sqlite3.h>

#include <QLocale>

#include "fuzzcheck.h"
#include "storage/columnfilter.h"

using namespace Sluice;

namespace {

using Op = TableCondition::Operator;

constexpr qint64 MinSeconds = -62135596800;
constexpr qint64 MaxSeconds = 253402300800;

void checkValue(ColumnFilter::Kind kind, const QVariant &value)
{
    switch (kind) {
    case ColumnFilter::Kind::Text:
        FUZZ_CHECK(value.typeId() == QMetaType::QString);
        break;
    case ColumnFilter::Kind::Number:
        FUZZ_CHECK(value.typeId() == QMetaType::LongLong || value.typeId() == QMetaType::Double);
        if (value.typeId() == QMetaType::Double)
            FUZZ_CHECK(std::isfinite(value.toDouble()));
        break;
    case ColumnFilter::Kind::Time:
        FUZZ_CHECK(value.typeId() == QMetaType::LongLong);
        FUZZ_CHECK(value.toLongLong() >= MinSeconds && value.toLongLong() <= MaxSeconds);
        break;
    }
}

struct Database
{
    sqlite3 *handle = nullptr;
    Database()
    {
        sqlite3_open(":memory:", &handle);
        sqlite3_exec(handle,
            "CREATE TABLE t (c); INSERT INTO t VALUES (NULL), (1), (2.5), ('x'), (1704412800)",
            nullptr, nullptr, nullptr);
    }
    ~Database() { sqlite3_close(handle); }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 512)
        return 0;
    const auto kind = ColumnFilter::Kind(data[0] % 3);
    const Qt::TimeSpec spec = (data[0] & 4) ? Qt::LocalTime : Qt::UTC;
    QLocale::setDefault((data[0] & 8) ? QLocale(QLocale::German, QLocale::Germany) : QLocale::c());
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    const QString column = QStringLiteral("c");

    const Result<QList<TableCondition>> read = ColumnFilter::parse(column, kind, text, spec);
    if (!read) {
        FUZZ_CHECK(read.error().where == column);
        FUZZ_CHECK(!read.error().what.isEmpty());
        FUZZ_CHECK(read.error().code == ErrorCode::Permanent);
        return 0;
    }
    const QList<TableCondition> &conditions = *read;
    FUZZ_CHECK(conditions.size() <= 2);
    FUZZ_CHECK(conditions.isEmpty() == text.trimmed().isEmpty());
    for (const TableCondition &condition : conditions) {
        FUZZ_CHECK(condition.column == column);
        if (condition.op == Op::IsNull || condition.op == Op::IsNotNull) {
            FUZZ_CHECK(conditions.size() == 1);
        } else if (condition.op == Op::Outside) {
            FUZZ_CHECK(kind == ColumnFilter::Kind::Time);
            const QVariantList ends = condition.value.toList();
            FUZZ_CHECK(ends.size() == 2);
            checkValue(kind, ends[0]);
            checkValue(kind, ends[1]);
            FUZZ_CHECK(ends[0].toLongLong() < ends[1].toLongLong());
        } else {
            FUZZ_CHECK(condition.op != Op::Like);
            checkValue(kind, condition.value);
            if (condition.op == Op::Contains)
                FUZZ_CHECK(kind == ColumnFilter::Kind::Text);
        }
    }
    if (kind == ColumnFilter::Kind::Time && conditions.size() == 2) {
        FUZZ_CHECK(conditions[0].op == Op::GreaterOrEqual && conditions[1].op == Op::Less);
        FUZZ_CHECK(conditions[0].value.toLongLong() < conditions[1].value.toLongLong());
    }

    TableFilter filter(QStringLiteral("t"), { column }, {});
    for (const TableCondition &condition : conditions)
        FUZZ_CHECK(filter.addCondition(condition));
    const QByteArray sql = (QStringLiteral("SELECT count(*)") + filter.from()).toUtf8();
    static Database db;
    sqlite3_stmt *statement = nullptr;
    FUZZ_CHECK(sqlite3_prepare_v2(db.handle, sql.constData(), int(sql.size()), &statement, nullptr)
        == SQLITE_OK);
    FUZZ_CHECK(sqlite3_bind_parameter_count(statement) == filter.bindings().size());
    int parameter = 1;
    for (const QVariant &binding : filter.bindings()) {
        int rc = SQLITE_OK;
        if (binding.typeId() == QMetaType::LongLong) {
            rc = sqlite3_bind_int64(statement, parameter, binding.toLongLong());
        } else if (binding.typeId() == QMetaType::Double) {
            rc = sqlite3_bind_double(statement, parameter, binding.toDouble());
        } else {
            const QByteArray value = binding.toString().toUtf8();
            rc = sqlite3_bind_text(
                statement, parameter, value.constData(), int(value.size()), SQLITE_TRANSIENT);
        }
        FUZZ_CHECK(rc == SQLITE_OK);
        ++parameter;
    }
    FUZZ_CHECK(sqlite3_step(statement) == SQLITE_ROW);
    FUZZ_CHECK(sqlite3_column_int64(statement, 0) <= 5);
    sqlite3_finalize(statement);
    return 0;
}
