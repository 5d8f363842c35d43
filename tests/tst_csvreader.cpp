// CsvReader on real files: quoting, CRLF, BOM, empty lines, embedded line breaks with the
// record's physical line, malformed quoting named by line, other delimiters, a file that
// cannot be opened, and a large file read in full.

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include "storage/csvreader.h"

using namespace Sluice;

namespace {

using Records = QList<QStringList>;

QString write(const QTemporaryDir &dir, const QByteArray &bytes)
{
    static int n = 0;
    const QString path = dir.filePath(QStringLiteral("f%1.csv").arg(++n));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size())
        return {};
    return path;
}

Result<Records> readAll(const QString &path, QList<qint64> *lines = nullptr, char delimiter = ',')
{
    Result<CsvReader> reader = CsvReader::open(path, delimiter);
    if (!reader)
        return reader.error();
    Records records;
    while (true) {
        Result<bool> more = reader->next();
        if (!more)
            return more.error();
        if (!*more)
            break;
        QStringList fields;
        for (std::string_view field : reader->fields())
            fields << QString::fromUtf8(field.data(), qsizetype(field.size()));
        records << fields;
        if (lines)
            *lines << reader->line();
    }
    return records;
}

} // namespace

class TestCsvReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void plainAndQuotedFields()
    {
        QTemporaryDir dir;
        QList<qint64> lines;
        Result<Records> records = readAll(write(dir,
                                              "\xEF\xBB\xBFid,name,note\r\n"
                                              "1,\"Smith, J\",\"said \"\"hi\"\"\"\r\n"
                                              "\n"
                                              "2,,\"two\nlines\"\n"
                                              "3,\"\",end"),
            &lines);
        QVERIFY2(records, qPrintable(records ? QString() : records.error().message()));
        QCOMPARE(records->size(), 4);
        QCOMPARE(records->at(0), (QStringList{ "id", "name", "note" }));
        QCOMPARE(records->at(1), (QStringList{ "1", "Smith, J", "said \"hi\"" }));
        QCOMPARE(records->at(2), (QStringList{ "2", "", "two\nlines" }));
        QCOMPARE(records->at(3), (QStringList{ "3", "", "end" }));
        QCOMPARE(lines, (QList<qint64>{ 1, 2, 4, 6 }));
    }

    void severalDoubledQuotesInOneRecord()
    {
        QTemporaryDir dir;
        Result<Records> records = readAll(write(dir, "\"a\"\"b\",x,\"\"\"c\"\"\",\"d\"\"\"\"\"\n"));
        QVERIFY(records);
        QCOMPARE(records->at(0), (QStringList{ "a\"b", "x", "\"c\"", "d\"\"" }));
    }

    void otherDelimiters()
    {
        QTemporaryDir dir;
        Result<Records> records = readAll(write(dir, "a\tb,c\t\"d\te\"\n"), nullptr, '\t');
        QVERIFY(records);
        QCOMPARE(records->at(0), (QStringList{ "a", "b,c", "d\te" }));
    }

    void malformedQuotingIsNamedByLine()
    {
        QTemporaryDir dir;
        Result<Records> records = readAll(write(dir, "a,b\n1,2\n3,\"open\nstill open"));
        QVERIFY(!records);
        QVERIFY2(records.error().what.contains(QLatin1String("line 3")),
            qPrintable(records.error().message()));
        QCOMPARE(records.error().code, ErrorCode::Permanent);

        records = readAll(write(dir, "a,b\n\"x\"y,2\n"));
        QVERIFY(!records);
        QVERIFY2(records.error().what.contains(QLatin1String("line 2")),
            qPrintable(records.error().message()));
    }

    void emptyAndMissingFiles()
    {
        QTemporaryDir dir;
        Result<Records> records = readAll(write(dir, ""));
        QVERIFY(records);
        QVERIFY(records->isEmpty());

        records = readAll(dir.filePath(QStringLiteral("absent.csv")));
        QVERIFY(!records);
        QVERIFY(records.error().where.endsWith(QLatin1String("absent.csv")));
    }

    void aLargeFileReadsInFull()
    {
        QTemporaryDir dir;
        QByteArray bytes;
        for (int i = 0; i < 100000; ++i)
            bytes += QByteArray::number(i) + ",\"x" + QByteArray::number(i) + "\",1.5\n";
        Result<CsvReader> reader = CsvReader::open(write(dir, bytes));
        QVERIFY(reader);
        qint64 count = 0;
        qint64 sum = 0;
        while (true) {
            Result<bool> more = reader->next();
            QVERIFY(more);
            if (!*more)
                break;
            ++count;
            sum += QByteArray(reader->fields()[0].data(), qsizetype(reader->fields()[0].size()))
                       .toLongLong();
        }
        QCOMPARE(count, 100000);
        QCOMPARE(sum, qint64(99999) * 100000 / 2);
        QCOMPARE(reader->position(), reader->size());
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
