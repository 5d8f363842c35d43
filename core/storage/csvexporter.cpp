#include "storage/csvexporter.h"

#include <charconv>
#include <cstring>
#include <memory>
#include <utility>

#include <QElapsedTimer>
#include <QFileDevice>
#include <QFileInfo>

#include <sqlite3.h>

#include "storage/csvoutputfile.h"
#include "storage/sqliteconnection.h"

namespace Sluice {

namespace {

    constexpr qint64 ChunkRows = 4096; // rows between checks of the cancel flag and the output
    constexpr qint64 ProgressIntervalMs = 100;
    const char *const StartColumn = "start_timestamp";
    // The clean table's header is fixed (README, "Exporting CSV"), whatever a later schema adds.
    const char *const CleanColumns[] = { "timeframe", "start_timestamp", "price", "hash_rate",
        "difficulty" };

    struct StatementDeleter
    {
        void operator()(sqlite3_stmt *statement) const { sqlite3_finalize(statement); }
    };
    using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

    // A deferred read transaction: the row count and the rows come from one snapshot.
    class ReadTransaction
    {
    public:
        explicit ReadTransaction(sqlite3 *db = nullptr)
            : m_db(db)
        { }
        ReadTransaction(ReadTransaction &&other) noexcept
            : m_db(std::exchange(other.m_db, nullptr))
        { }
        ReadTransaction &operator=(ReadTransaction &&) = delete;
        ~ReadTransaction()
        {
            if (m_db)
                sqlite3_exec(m_db, "COMMIT", nullptr, nullptr, nullptr);
        }

    private:
        sqlite3 *m_db;
    };

    struct Column
    {
        QString name;
        int keyPosition = 0; // 1-based position in the primary key, 0 when not part of it
    };

    QString sqliteMessage(sqlite3 *db)
    {
        return QString::fromUtf8(sqlite3_errmsg(db));
    }

    Result<Statement> prepareStatement(sqlite3 *db, const QString &sql, const QString &path)
    {
        sqlite3_stmt *raw = nullptr;
        const QByteArray utf8 = sql.toUtf8();
        if (sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &raw, nullptr)
            != SQLITE_OK) {
            return Error{
                CsvExporter::tr("SQLite error in \"%1\": %2").arg(sql.left(80), sqliteMessage(db)),
                path
            };
        }
        return Statement(raw);
    }

    // Binds a value as TableFilter::bindable() makes it, which is how the Qt SQLite driver of
    // the table view binds it too.
    void bindValue(sqlite3_stmt *statement, int index, const QVariant &value)
    {
        const QVariant bound = TableFilter::bindable(value);
        switch (bound.typeId()) {
        case QMetaType::LongLong:
            sqlite3_bind_int64(statement, index, bound.toLongLong());
            return;
        case QMetaType::Double:
            sqlite3_bind_double(statement, index, bound.toDouble());
            return;
        case QMetaType::QByteArray: {
            const QByteArray bytes = bound.toByteArray();
            sqlite3_bind_blob64(statement, index, bytes.constData(), sqlite3_uint64(bytes.size()),
                SQLITE_TRANSIENT);
            return;
        }
        case QMetaType::QString: {
            const QByteArray text = bound.toString().toUtf8();
            sqlite3_bind_text64(statement, index, text.constData(), sqlite3_uint64(text.size()),
                SQLITE_TRANSIENT, SQLITE_UTF8);
            return;
        }
        default:
            sqlite3_bind_null(statement, index);
            return;
        }
    }

    Result<QStringList> readTables(sqlite3 *db, const QString &path)
    {
        Result<Statement> statement = prepareStatement(db,
            QStringLiteral("SELECT name FROM sqlite_master WHERE type = 'table'"
                           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"),
            path);
        if (!statement)
            return statement.error();
        QStringList names;
        int rc;
        while ((rc = sqlite3_step(statement->get())) == SQLITE_ROW) {
            names << QString::fromUtf8(
                reinterpret_cast<const char *>(sqlite3_column_text(statement->get(), 0)));
        }
        if (rc != SQLITE_DONE)
            return Error{ CsvExporter::tr("cannot list the tables: %1").arg(sqliteMessage(db)),
                path };
        return names;
    }

    Result<QList<Column>> readColumns(sqlite3 *db, const QString &table, const QString &path)
    {
        Result<Statement> statement = prepareStatement(
            db, QStringLiteral("SELECT name, pk FROM pragma_table_info(?1) ORDER BY cid"), path);
        if (!statement)
            return statement.error();
        bindValue(statement->get(), 1, table);
        QList<Column> columns;
        int rc;
        while ((rc = sqlite3_step(statement->get())) == SQLITE_ROW) {
            columns.append({ QString::fromUtf8(reinterpret_cast<const char *>(
                                 sqlite3_column_text(statement->get(), 0))),
                sqlite3_column_int(statement->get(), 1) });
        }
        if (rc != SQLITE_DONE) {
            return Error{ CsvExporter::tr("cannot read the columns of table %1: %2")
                              .arg(table, sqliteMessage(db)),
                path };
        }
        return columns;
    }

    Result<SqliteConnection> openWarehouse(const QString &path)
    {
        if (!QFileInfo::exists(path))
            return Error{ CsvExporter::tr("the warehouse does not exist"), path };
        return SqliteConnection::open(
            path, QStringLiteral("csv-export"), SqliteConnection::Mode::ReadOnly);
    }

    // One look at the warehouse's schema: read gets the SQLite handle of a connection that
    // closes when it returns.
    template <typename Read> Result<QStringList> readSchema(const QString &path, Read read)
    {
        Result<SqliteConnection> connection = openWarehouse(path);
        if (!connection)
            return connection.error();
        Result<sqlite3 *> db = connection->handle();
        if (!db)
            return db.error();
        return read(*db);
    }

    // The only timeframe of the clean table, or a null string when it holds several (or none).
    // MIN and MAX of the key's first column are two look-ups, not a scan (in one SELECT together
    // they would scan the table).
    Result<QString> singleTimeframe(sqlite3 *db, const QString &table, const QString &path)
    {
        Result<Statement> span = prepareStatement(db,
            QStringLiteral(
                "SELECT (SELECT MIN(timeframe) FROM %1), (SELECT MAX(timeframe) FROM %1)")
                .arg(TableFilter::quoted(table)),
            path);
        if (!span)
            return span.error();
        if (sqlite3_step(span->get()) != SQLITE_ROW
            || sqlite3_column_type(span->get(), 0) != SQLITE_TEXT)
            return QString();
        const auto text = [&](int column) {
            return QByteArray(
                reinterpret_cast<const char *>(sqlite3_column_text(span->get(), column)));
        };
        const QByteArray low = text(0);
        return low == text(1) ? QString::fromUtf8(low) : QString();
    }

    // A delimiter that could be part of a value makes the file unreadable: a digit, a letter
    // (1e+16, inf, nan), "." "+" "-" of numbers, the quotes of quoting and of the
    // spreadsheet-safe prefix, line ends. NUL and non-ASCII bytes do not survive every reader.
    bool isDelimiter(char delimiter)
    {
        const auto c = static_cast<unsigned char>(delimiter);
        if (c == 0 || c > 127)
            return false;
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            return false;
        return std::strchr(".+-\"'\r\n", c) == nullptr;
    }

    QString delimiterRule()
    {
        return CsvExporter::tr("a delimiter is one ASCII character other than a letter, a digit, "
                               "\".\", \"+\", \"-\", a quote (\" or '), CR, LF or NUL; "
                               "\"tab\" or \"\\t\" stands for a tab");
    }

    QString delimiterProblem(char delimiter)
    {
        return isDelimiter(delimiter) ? QString() : delimiterRule();
    }

} // namespace

struct CsvExporter::Query
{
    SqliteConnection connection;
    ReadTransaction transaction;
    Statement statement; // finalised first, then the transaction ends, then the connection
    QStringList header;
    qint64 total = -1;
};

CsvExporter::CsvExporter(const QString &warehousePath)
    : m_warehousePath(warehousePath)
{ }

Error CsvExporter::fail(Failure failure, Error error)
{
    m_failure = failure;
    return error;
}

Result<CsvExporter::Query> CsvExporter::prepare(const CsvRequest &request)
{
    const QString &path = m_warehousePath;
    if (const QString problem = delimiterProblem(request.format.delimiter); !problem.isEmpty())
        return fail(Failure::BadRequest, Error{ problem, QString() });

    Result<SqliteConnection> connection = openWarehouse(path);
    if (!connection)
        return fail(Failure::Io, connection.error());
    Result<sqlite3 *> db = connection->handle();
    if (!db)
        return fail(Failure::Io, db.error());

    if (sqlite3_exec(*db, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK)
        return fail(
            Failure::Io, Error{ tr("cannot start reading: %1").arg(sqliteMessage(*db)), path });
    Query query{ std::move(*connection), ReadTransaction(*db), nullptr, {}, -1 };
    if (!request.query.isEmpty()) {
        if (Result<void> prepared = prepareQuery(request, query, *db); !prepared)
            return prepared.error();
        return query;
    }

    // Names are checked against the schema before they go into SQL, and quoted even then.
    Result<QStringList> tables = readTables(*db, path);
    if (!tables)
        return fail(Failure::Io, tables.error());
    if (!tables->contains(request.table)) {
        return fail(Failure::BadRequest,
            Error{ tr("unknown table \"%1\"; the tables are %2")
                       .arg(request.table, tables->join(QStringLiteral(", "))),
                path });
    }
    Result<QList<Column>> columns = readColumns(*db, request.table, path);
    if (!columns)
        return fail(Failure::Io, columns.error());
    QStringList names;
    QStringList key;
    for (const Column &column : *columns) {
        names << column.name;
        if (column.keyPosition > 0) {
            key.resize(std::max<qsizetype>(key.size(), column.keyPosition));
            key[column.keyPosition - 1] = column.name;
        }
    }
    const bool clean = request.table == QLatin1String(Warehouse::CleanTable);
    if (clean) {
        names.clear();
        for (const char *name : CleanColumns)
            names << QLatin1String(name);
    }

    TableFilter filter(request.table, names, key);
    auto badRequest = [&](const Error &error) {
        return fail(Failure::BadRequest, Error{ error.what, path });
    };
    if (Result<void> range = filter.setRange(request.start, request.end); !range)
        return badRequest(range.error());
    if (request.start && request.end && *request.start >= *request.end) {
        return fail(Failure::BadRequest,
            Error{ tr("the range is empty: the start %1 is not before the end %2")
                       .arg(*request.start)
                       .arg(*request.end),
                QString() });
    }
    for (const TableCondition &condition : request.conditions) {
        if (Result<void> added = filter.addCondition(condition); !added)
            return badRequest(added.error());
    }

    // The clean table's own order is time order: start_timestamp, then timeframe.
    QString orderBy = request.orderBy;
    if (orderBy.isEmpty() && clean)
        orderBy = QLatin1String(StartColumn);
    if (clean && orderBy == QLatin1String(StartColumn)) {
        // The key is (timeframe, start_timestamp). With one timeframe in the table, key order
        // is time order, and SQLite walks the key instead of sorting every row.
        Result<QString> timeframe = singleTimeframe(*db, request.table, path);
        if (!timeframe)
            return fail(Failure::Io, timeframe.error());
        if (!timeframe->isNull()) {
            const TableCondition only{ QStringLiteral("timeframe"), TableCondition::Operator::Equal,
                *timeframe };
            if (Result<void> added = filter.addCondition(only); !added)
                return badRequest(added.error());
            orderBy.clear();
        }
    }
    if (Result<void> ordered = filter.setOrder(orderBy, request.order); !ordered)
        return badRequest(ordered.error());

    auto prepareBound = [&](const QString &sql) -> Result<Statement> {
        Result<Statement> statement = prepareStatement(*db, sql, path);
        if (!statement)
            return statement;
        const QVariantList &bindings = filter.bindings();
        for (int i = 0; i < bindings.size(); ++i)
            bindValue(statement->get(), i + 1, bindings.at(i));
        return statement;
    };

    if (m_progress) {
        Result<Statement> count = prepareBound(QStringLiteral("SELECT COUNT(*)") + filter.from());
        if (!count)
            return fail(Failure::Io, count.error());
        if (sqlite3_step(count->get()) != SQLITE_ROW) {
            return fail(Failure::Io,
                Error{ tr("cannot count the rows of %1: %2").arg(request.table, sqliteMessage(*db)),
                    path });
        }
        query.total = sqlite3_column_int64(count->get(), 0);
    }

    Result<Statement> statement = prepareBound(QStringLiteral("SELECT ")
        + TableFilter::quotedList(names) + filter.from() + filter.orderBy());
    if (!statement)
        return fail(Failure::Io, statement.error());
    query.statement = std::move(*statement);
    query.header = names;
    return query;
}

Result<void> CsvExporter::prepareQuery(const CsvRequest &request, Query &query, sqlite3 *db)
{
    const QString &path = m_warehousePath;
    const QByteArray utf8 = request.query.toUtf8();
    sqlite3_stmt *raw = nullptr;
    const char *tail = nullptr;
    if (sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &raw, &tail) != SQLITE_OK) {
        return fail(Failure::BadRequest,
            Error{ tr("SQLite error in the query: %1").arg(sqliteMessage(db)), path });
    }
    Statement statement(raw);
    const bool onlyOne = QByteArray(tail).trimmed().isEmpty()
        || QByteArray(tail).trimmed() == QByteArrayLiteral(";");
    if (!statement || !onlyOne)
        return fail(Failure::BadRequest, Error{ tr("the query must be one statement"), path });
    if (!sqlite3_stmt_readonly(statement.get()) || sqlite3_column_count(statement.get()) == 0)
        return fail(
            Failure::BadRequest, Error{ tr("the query must be a SELECT that only reads"), path });
    for (int i = 1; i <= sqlite3_bind_parameter_count(statement.get()); ++i) {
        const char *name = sqlite3_bind_parameter_name(statement.get(), i);
        // :name, @name and $name; ? and ?NNN have no name to bind by.
        const QString key = name ? QString::fromUtf8(name + 1) : QString();
        if (!name || !request.binds.contains(key)) {
            QStringList known;
            for (auto it = request.binds.cbegin(); it != request.binds.cend(); ++it)
                known << QLatin1Char(':') + it.key();
            return fail(Failure::BadRequest,
                Error{ tr("the query's parameter %1 has no value; these do: %2")
                           .arg(name ? QString::fromUtf8(name) : QStringLiteral("?%1").arg(i),
                               known.join(QStringLiteral(", "))),
                    path });
        }
        bindValue(statement.get(), i, request.binds.value(key));
    }
    for (int c = 0; c < sqlite3_column_count(statement.get()); ++c)
        query.header << QString::fromUtf8(sqlite3_column_name(statement.get(), c));
    query.statement = std::move(statement);
    return {};
}

Result<CsvSummary> CsvExporter::stream(
    Query &query, const CsvFormat &format, QIODevice *device, const QString &name)
{
    sqlite3_stmt *statement = query.statement.get();
    const int columnCount = sqlite3_column_count(statement);
    CsvWriter writer(device, format);
    auto writeError = [&] {
        return fail(
            Failure::Io, Error{ tr("cannot write the CSV: %1").arg(writer.errorString()), name });
    };

    if (format.header) {
        for (const QString &column : std::as_const(query.header))
            writer.writeText(column);
        writer.endRow();
    }

    QElapsedTimer clock;
    clock.start();
    qint64 lastProgress = 0;
    if (m_progress)
        m_progress(0, query.total);

    qint64 rows = 0;
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
        for (int c = 0; c < columnCount; ++c) {
            switch (sqlite3_column_type(statement, c)) {
            case SQLITE_INTEGER:
                writer.writeInteger(sqlite3_column_int64(statement, c));
                break;
            case SQLITE_FLOAT:
                writer.writeDouble(sqlite3_column_double(statement, c));
                break;
            case SQLITE_TEXT:
                writer.writeText(reinterpret_cast<const char *>(sqlite3_column_text(statement, c)),
                    std::size_t(sqlite3_column_bytes(statement, c)));
                break;
            case SQLITE_BLOB:
                writer.writeBlob(
                    static_cast<const unsigned char *>(sqlite3_column_blob(statement, c)),
                    std::size_t(sqlite3_column_bytes(statement, c)));
                break;
            default:
                writer.writeNull();
                break;
            }
        }
        writer.endRow();

        if (++rows % ChunkRows == 0) {
            if (isCancelled())
                return cancelled(name);
            if (writer.failed())
                return writeError();
            if (m_progress
                && (rows == ChunkRows || clock.elapsed() - lastProgress >= ProgressIntervalMs)) {
                lastProgress = clock.elapsed();
                m_progress(rows, query.total);
            }
        }
    }
    if (rc != SQLITE_DONE) {
        return fail(Failure::Io,
            Error{ tr("cannot read the rows: %1").arg(sqliteMessage(sqlite3_db_handle(statement))),
                query.connection.path() });
    }
    if (isCancelled())
        return cancelled(name);
    if (!writer.flush())
        return writeError();
    if (auto *file = qobject_cast<QFileDevice *>(device); file && !file->flush()) {
        return fail(
            Failure::Io, Error{ tr("cannot write the CSV: %1").arg(file->errorString()), name });
    }
    if (m_progress)
        m_progress(rows, query.total < 0 ? rows : query.total);
    return CsvSummary{ rows, writer.bytes() };
}

Error CsvExporter::cancelled(const QString &name)
{
    return fail(Failure::Cancelled, Error{ tr("the export was cancelled"), name });
}

Result<CsvExporter::Query> CsvExporter::begin(const CsvRequest &request, const QString &name)
{
    m_failure = Failure::None;
    Result<Query> query = prepare(request);
    if (query && isCancelled())
        return cancelled(name);
    return query;
}

Result<CsvSummary> CsvExporter::exportToDevice(
    const CsvRequest &request, QIODevice *device, const QString &name)
{
    Result<Query> query = begin(request, name);
    if (!query)
        return query.error();
    return stream(*query, request.format, device, name);
}

Result<CsvSummary> CsvExporter::exportToFile(const CsvRequest &request, const QString &path)
{
    Result<Query> query = begin(request, path);
    if (!query)
        return query.error();

    Result<CsvOutputFile> output = CsvOutputFile::open(path);
    if (!output)
        return fail(Failure::Io, output.error());
    Result<CsvSummary> summary = stream(*query, request.format, output->device(), path);
    if (!summary)
        return summary; // the output drops its temporary file; an existing target is untouched
    if (Result<void> committed = output->commit(); !committed)
        return fail(Failure::Io, committed.error());
    return summary;
}

Result<QStringList> CsvExporter::tables(const QString &warehousePath)
{
    return readSchema(warehousePath, [&](sqlite3 *db) { return readTables(db, warehousePath); });
}

Result<QStringList> CsvExporter::columns(const QString &warehousePath, const QString &table)
{
    return readSchema(warehousePath, [&](sqlite3 *db) -> Result<QStringList> {
        Result<QList<Column>> columns = readColumns(db, table, warehousePath);
        if (!columns)
            return columns.error();
        if (columns->isEmpty())
            return Error{ tr("unknown table \"%1\"").arg(table), warehousePath };
        QStringList names;
        for (const Column &column : *columns)
            names << column.name;
        return names;
    });
}

Result<char> CsvExporter::parseDelimiter(const QString &text)
{
    if (text.compare(QLatin1String("tab"), Qt::CaseInsensitive) == 0
        || text == QLatin1String("\\t"))
        return '\t';
    if (text.size() != 1 || text.at(0).unicode() > 127 || !isDelimiter(char(text.at(0).unicode())))
        return Error{ delimiterRule(), QString() };
    return char(text.at(0).unicode());
}

} // namespace Sluice
