// JsonReader (the tree with numbers kept as text) and JsonNumber (reading those numbers), with
// expected values from Python's json/float/int as the oracle.

#include <QtTest>

#include "sources/jsonnumber.h"
#include "sources/jsonpointer.h"
#include "sources/jsonreader.h"

using namespace Sluice;

namespace {

// The message of a failed result, for QVERIFY2 (which evaluates its message even on success).
template <typename T> QByteArray failure(const Result<T> &result)
{
    return result ? QByteArray() : result.error().message().toUtf8();
}

// A canonical compact form of a tree: numbers as written, strings decoded (only '"' and '\'
// escaped again), members in document order.
QByteArray canonical(const JsonNode &node)
{
    switch (node.type) {
    case JsonNode::Type::Null:
        return "null";
    case JsonNode::Type::Boolean:
        return node.boolean ? "true" : "false";
    case JsonNode::Type::Number:
        return node.text;
    case JsonNode::Type::String:
        return '"' + QByteArray(node.text).replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    case JsonNode::Type::Array: {
        QList<QByteArray> parts;
        for (const JsonNode &item : node.items)
            parts << canonical(item);
        return '[' + parts.join(',') + ']';
    }
    case JsonNode::Type::Object: {
        QList<QByteArray> parts;
        for (qsizetype i = 0; i < node.keys.size(); ++i)
            parts << '"' + node.keys.at(i) + "\":" + canonical(node.items[size_t(i)]);
        return '{' + parts.join(',') + '}';
    }
    }
    return {};
}

} // namespace

class TestJsonReader : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void offsetsAndMembers();
    void numbers_data();
    void numbers();
    void wholeNumberField_data();
    void wholeNumberField();
    void pointers_data();
    void pointers();
    void badPointers();
    void streamedArray();
    void streamedArrayErrors();
};

void TestJsonReader::valid_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("numbers kept as written")
        << QByteArray("[1,2.50,-0,1E3,7.365750402566894e+20,736575040256689400000]")
        << QByteArray("[1,2.50,-0,1E3,7.365750402566894e+20,736575040256689400000]");
    QTest::newRow("whitespace and literals")
        << QByteArray(" \r\n\t{ \"a\" : [ true , false , null ] , \"b\" : { } , \"c\" : [ ] } \n")
        << QByteArray(R"({"a":[true,false,null],"b":{},"c":[]})");
    QTest::newRow("escapes") << QByteArray(R"(["a\u00e9\n\"\/\\\ud83d\ude00\t"])")
                             << QByteArray("[\"a\xc3\xa9\n\\\"/\\\\\xf0\x9f\x98\x80\t\"]");
    QTest::newRow("raw UTF-8") << QByteArray("[\"\xe4\xbb\xb7\"]")
                               << QByteArray("[\"\xe4\xbb\xb7\"]");
    QTest::newRow("byte order mark") << QByteArray("\xef\xbb\xbf[]") << QByteArray("[]");
    QTest::newRow("a scalar document") << QByteArray("42") << QByteArray("42");
    QTest::newRow("64 levels") << QByteArray(64, '[') + QByteArray(64, ']')
                               << QByteArray(64, '[') + QByteArray(64, ']');
    // Arrays and objects share one walker: depth counts both kinds.
    QTest::newRow("64 levels of objects and arrays")
        << QByteArray("{\"k\":[").repeated(32) + "1" + QByteArray("]}").repeated(32)
        << QByteArray("{\"k\":[").repeated(32) + "1" + QByteArray("]}").repeated(32);
    QTest::newRow("repeated member name")
        << QByteArray(R"({ "a" : 1 , "a" : 2 })") << QByteArray(R"({"a":1,"a":2})");
}

void TestJsonReader::valid()
{
    QFETCH(QByteArray, document);
    QFETCH(QByteArray, expected);
    const Result<JsonNode> node = JsonReader::read(document);
    QVERIFY2(node, failure(node).constData());
    QCOMPARE(canonical(*node), expected);
}

void TestJsonReader::invalid_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("expected");

    const auto row = [](const char *name, const QByteArray &document, const char *expected) {
        QTest::newRow(name) << document << QString::fromUtf8(expected);
    };
    row("empty", "", "invalid JSON at offset 0: the document is empty");
    row("only spaces", "  \n", "invalid JSON at offset 3: the document is empty");
    row("truncated array", "[1,2", "invalid JSON at offset 4: unexpected end of data");
    row("truncated number", "[1,-", "invalid JSON at offset 4: unexpected end of data");
    row("truncated string", "[\"abc", "invalid JSON at offset 5: unexpected end of data");
    row("truncated literal", "[tru", "invalid JSON at offset 4: unexpected end of data");
    row("trailing comma", "[1,]", "invalid JSON at offset 3: expected a JSON value, found ']'");
    row("missing colon", "{\"a\" 1}", "invalid JSON at offset 5: expected ':', found '1'");
    row("unquoted name", "{a:1}",
        "invalid JSON at offset 1: expected a member name in quotes, found 'a'");
    row("leading zero", "[01]", "invalid JSON at offset 2: expected ',' or ']', found '1'");
    row("bare decimal point", "[1.]",
        "invalid JSON at offset 3: expected a digit after the decimal point, found ']'");
    row("empty exponent", "[1e]",
        "invalid JSON at offset 3: expected a digit in the exponent, found ']'");
    row("lone minus", "[-]", "invalid JSON at offset 2: expected a digit, found ']'");
    row("plus sign", "[+1]", "invalid JSON at offset 1: expected a JSON value, found '+'");
    row("bad literal", "[nul]", "invalid JSON at offset 1: invalid literal, expected null");
    row("NaN", "[NaN]", "invalid JSON at offset 1: expected a JSON value, found 'N'");
    row("control character", "[\"a\x01\"]",
        "invalid JSON at offset 3: control character in a string");
    row("bad escape", "[\"\\x\"]",
        "invalid JSON at offset 3: expected an escape character, found 'x'");
    row("bad unicode escape", "[\"\\u12g4\"]",
        "invalid JSON at offset 6: expected a hexadecimal digit, found 'g'");
    row("lone high surrogate", "[\"\\ud800\"]",
        "invalid JSON at offset 8: high surrogate without its low half");
    row("lone low surrogate", "[\"\\udc00\"]",
        "invalid JSON at offset 8: lone low surrogate in a string");
    row("two values", "[1] [2]", "invalid JSON at offset 4: unexpected data after the JSON value");
    row("missing comma", "{\"a\":1 \"b\":2}",
        "invalid JSON at offset 7: expected ',' or '}', found '\"'");
    row("binary", "\xff", "invalid JSON at offset 0: expected a JSON value, found 0xff");
    row("65 levels", QByteArray(65, '[') + QByteArray(65, ']'),
        "invalid JSON at offset 64: nested deeper than 64 levels");
    // The same walker for objects as for arrays: each error in each place.
    row("open object", "{", "invalid JSON at offset 1: unexpected end of data");
    row("open array", "[", "invalid JSON at offset 1: unexpected end of data");
    row("object ends after a name", "{\"a\"", "invalid JSON at offset 4: unexpected end of data");
    row("object ends after a colon", "{\"a\":", "invalid JSON at offset 5: unexpected end of data");
    row("object ends after a value", "{\"a\":1",
        "invalid JSON at offset 6: unexpected end of data");
    row("object ends after a comma", "{\"a\":1,",
        "invalid JSON at offset 7: unexpected end of data");
    row("array ends after a comma", "[1,", "invalid JSON at offset 3: unexpected end of data");
    row("trailing comma in an object", "{\"a\":1,}",
        "invalid JSON at offset 7: expected a member name in quotes, found '}'");
    row("leading comma in an object", "{,}",
        "invalid JSON at offset 1: expected a member name in quotes, found ','");
    row("leading comma in an array", "[,]",
        "invalid JSON at offset 1: expected a JSON value, found ','");
    row("object closed by a bracket", "{\"a\":1]",
        "invalid JSON at offset 6: expected ',' or '}', found ']'");
    row("array closed by a brace", "[1}",
        "invalid JSON at offset 2: expected ',' or ']', found '}'");
    row("65 levels of objects", QByteArray("{\"k\":").repeated(65) + "1" + QByteArray(65, '}'),
        "invalid JSON at offset 320: nested deeper than 64 levels");
}

void TestJsonReader::invalid()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, expected);
    const Result<JsonNode> node = JsonReader::read(document);
    QVERIFY(!node);
    QCOMPARE(node.error().what, expected);
}

void TestJsonReader::offsetsAndMembers()
{
    const QByteArray document = R"({"a": [10, "x"], "b": null, "a": 2})";
    const Result<JsonNode> root = JsonReader::read(document);
    QVERIFY(root);
    QVERIFY(root->isObject());
    const JsonNode *a = root->member("a");
    QVERIFY(a);
    QVERIFY(a->isArray()); // the first of two members of the same name
    QCOMPARE(a->offset, document.indexOf('['));
    QCOMPARE(a->items.at(1).offset, document.indexOf("\"x\""));
    QCOMPARE(a->items.at(1).text, QByteArray("x"));
    QCOMPARE(root->member("b")->type, JsonNode::Type::Null);
    QVERIFY(!root->member("c"));
    QVERIFY(!a->member("a"));
    QCOMPARE(a->typeName(), QStringLiteral("an array"));
    QCOMPARE(a->items.at(0).typeName(), QStringLiteral("a number"));
}

void TestJsonReader::numbers_data()
{
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<bool>("isNumber");
    QTest::addColumn<QString>("int64"); // empty: refused
    QTest::addColumn<QString>("double64"); // %.17g of the double; empty: refused
    QTest::addColumn<QString>("int128"); // empty: an error
    QTest::addColumn<bool>("viaDouble");

    const auto row = [](const char *token, bool isNumber, const char *int64, const char *dbl,
                         const char *int128, bool viaDouble) {
        QTest::newRow(token) << QByteArray(token) << isNumber << QString::fromLatin1(int64)
                             << QString::fromLatin1(dbl) << QString::fromLatin1(int128)
                             << viaDouble;
    };
    // Expected values: Python's int(token) or int(float(token)), and float(token).
    row("0", true, "0", "0", "0", false);
    row("-12", true, "-12", "-12", "-12", false);
    row("1727740800000", true, "1727740800000", "1727740800000", "1727740800000", false);
    row("9223372036854775807", true, "9223372036854775807", "9.2233720368547758e+18",
        "9223372036854775807", false);
    row("9223372036854775808", true, "", "9.2233720368547758e+18", "9223372036854775808", false);
    row("736575040256689400000", true, "", "7.3657504025668944e+20", "736575040256689400000",
        false);
    row("7.365750402566894e+20", true, "", "7.3657504025668944e+20", "736575040256689438720", true);
    row("736575040256689400000.0", true, "", "7.3657504025668944e+20", "736575040256689438720",
        true);
    row("1.0234567890123457e+21", true, "", "1.0234567890123457e+21", "1023456789012345651200",
        true);
    row("1.5", true, "", "1.5", "1", true);
    row("-1.5", true, "", "-1.5", "-2", true);
    row("1e2", true, "", "100", "100", true);
    row("1E+38", true, "", "9.9999999999999998e+37", "99999999999999997748809823456034029568",
        true);
    row("170141183460469231731687303715884105727", true, "", "1.7014118346046923e+38",
        "170141183460469231731687303715884105727", false);
    row("170141183460469231731687303715884105728", true, "", "1.7014118346046923e+38", "", false);
    row("1e39", true, "", "9.9999999999999994e+38", "", true);
    row("1e400", true, "", "", "", true);
    row("1e-400", true, "", "0", "0", true);
    row("-0", true, "0", "-0", "0", false);
    row("01", false, "", "", "", false);
    row("+1", false, "", "", "", false);
    row("1.", false, "", "", "", false);
    row(".5", false, "", "", "", false);
    row("inf", false, "", "", "", false);
    row("0x10", false, "", "", "", false);
    row("", false, "", "", "", false);
}

void TestJsonReader::numbers()
{
    QFETCH(QByteArray, token);
    QFETCH(bool, isNumber);
    QFETCH(QString, int64);
    QFETCH(QString, double64);
    QFETCH(QString, int128);
    QFETCH(bool, viaDouble);

    QCOMPARE(JsonNumber::isNumber(token), isNumber);

    const std::optional<qint64> asInt64 = JsonNumber::toInt64(token);
    QCOMPARE(asInt64 ? QString::number(*asInt64) : QString(), int64);

    const std::optional<double> asDouble = JsonNumber::toDouble(token);
    QString doubleText;
    if (asDouble) {
        doubleText = QString::asprintf("%.17g", *asDouble);
        if (std::floor(*asDouble) == *asDouble && std::fabs(*asDouble) < 1e17)
            doubleText = QString::asprintf("%.0f", *asDouble);
        if (*asDouble == 0 && std::signbit(*asDouble))
            doubleText = QStringLiteral("-0"); // Qt's asprintf drops the sign of -0.0
    }
    QCOMPARE(doubleText, double64);

    bool gotViaDouble = false;
    const Result<Int128> asInt128 = JsonNumber::toInt128(token, &gotViaDouble);
    QCOMPARE(asInt128 ? ExactInteger::toString(*asInt128) : QString(), int128);
    if (asInt128)
        QCOMPARE(gotViaDouble, viaDouble);
    else if (isNumber)
        QVERIFY2(asInt128.error().what.contains(QStringLiteral("beyond the 128-bit range")),
            qPrintable(asInt128.error().what));
    else
        QVERIFY2(asInt128.error().what.contains(QStringLiteral("not a JSON number")),
            qPrintable(asInt128.error().what));
}

void TestJsonReader::wholeNumberField_data()
{
    QTest::addColumn<QByteArray>("document");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<qint64>("value");

    QTest::newRow("zero") << QByteArray("0") << QString() << qint64(0);
    QTest::newRow("milliseconds") << QByteArray("1727740800000") << QString()
                                  << qint64(1727740800000);
    QTest::newRow("a string") << QByteArray("\"12\"")
                              << "open time is a string, expected an integer" << qint64(-1);
    QTest::newRow("null") << QByteArray("null") << "open time is null, expected an integer"
                          << qint64(-1);
    QTest::newRow("negative") << QByteArray("-1") << "open time -1 is not whole here" << qint64(-1);
    QTest::newRow("fraction") << QByteArray("1.5") << "open time 1.5 is not whole here"
                              << qint64(-1);
    QTest::newRow("exponent") << QByteArray("1e3") << "open time 1e3 is not whole here"
                              << qint64(-1);
    QTest::newRow("past 64 bits") << QByteArray("9223372036854775808")
                                  << "open time 9223372036854775808 is not whole here"
                                  << qint64(-1);
}

void TestJsonReader::wholeNumberField()
{
    QFETCH(QByteArray, document);
    QFETCH(QString, problem);
    QFETCH(qint64, value);
    const Result<JsonNode> node = JsonReader::read(document);
    QVERIFY2(node, failure(node).constData());
    qint64 out = -1;
    const std::optional<QString> got = JsonNumber::readWholeNumber(
        *node, QStringLiteral("open time"), QStringLiteral("%1 %2 is not whole here"), out);
    QCOMPARE(got.value_or(QString()), problem);
    QCOMPARE(out, value);
}

void TestJsonReader::pointers_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QByteArray>("expected"); // canonical form, or empty when nothing is there
    // RFC 6901's own examples.
    QTest::newRow("whole")
        << ""
        << QByteArray(
               R"({"foo":["bar","baz"],"":0,"a/b":1,"c%d":2,"e^f":3,"g|h":4," ":7,"m~n":8})");
    QTest::newRow("member") << "/foo" << QByteArray(R"(["bar","baz"])");
    QTest::newRow("index") << "/foo/0" << QByteArray(R"("bar")");
    QTest::newRow("empty name") << "/" << QByteArray("0");
    QTest::newRow("slash") << "/a~1b" << QByteArray("1");
    QTest::newRow("percent") << "/c%d" << QByteArray("2");
    QTest::newRow("space") << "/ " << QByteArray("7");
    QTest::newRow("tilde") << "/m~0n" << QByteArray("8");
    QTest::newRow("past the end") << "/foo/2" << QByteArray();
    QTest::newRow("leading zero") << "/foo/01" << QByteArray();
    QTest::newRow("minus") << "/foo/-" << QByteArray();
    QTest::newRow("into a string") << "/foo/0/x" << QByteArray();
    QTest::newRow("absent") << "/nothing" << QByteArray();
}

void TestJsonReader::pointers()
{
    QFETCH(QString, pointer);
    QFETCH(QByteArray, expected);
    const QByteArray document =
        R"({"foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4, " ": 7, "m~n": 8})";
    Result<JsonNode> root = JsonReader::read(document);
    QVERIFY2(root, failure(root));
    Result<JsonPointer> parsed = JsonPointer::parse(pointer);
    QVERIFY2(parsed, failure(parsed));
    const JsonNode *found = parsed->find(*root);
    QCOMPARE(found ? canonical(*found) : QByteArray(), expected);
}

void TestJsonReader::badPointers()
{
    QVERIFY(!JsonPointer::parse(QStringLiteral("data")));
    QVERIFY(!JsonPointer::parse(QStringLiteral("/a~2")));
    QVERIFY(!JsonPointer::parse(QStringLiteral("/a~")));
    QCOMPARE(JsonPointer::element(QStringLiteral("/data"), 3), QStringLiteral("/data/3"));
    QCOMPARE(JsonPointer::escape(QStringLiteral("a/b~c")), QStringLiteral("a~1b~0c"));
}

void TestJsonReader::streamedArray()
{
    const QByteArray document =
        R"({"meta": {"n": 3}, "data": [{"p": "1.5", "t": [1]}, {"p": "2"}, {"p": null}], "after": true})";
    Result<JsonPointer> pointer = JsonPointer::parse(QStringLiteral("/data"));
    QVERIFY(pointer);
    QList<QByteArray> seen;
    QList<qsizetype> indexes;
    Result<JsonNode> root = JsonReader::read(
        document, *pointer, [&](qsizetype index, const JsonNode &element) -> Result<void> {
            indexes << index;
            seen << canonical(element);
            return {};
        });
    QVERIFY2(root, failure(root));
    QCOMPARE(indexes, (QList<qsizetype>{ 0, 1, 2 }));
    QCOMPARE(
        seen, (QList<QByteArray>{ R"({"p":"1.5","t":[1]})", R"({"p":"2"})", R"({"p":null})" }));
    // The rest of the document is kept; the streamed array is empty.
    QCOMPARE(canonical(*root), QByteArray(R"({"meta":{"n":3},"data":[],"after":true})"));

    // The whole document as the array, and an array inside an array.
    seen.clear();
    root = JsonReader::read(
        "[[1,2],[3]]", JsonPointer(), [&](qsizetype, const JsonNode &element) -> Result<void> {
            seen << canonical(element);
            return {};
        });
    QVERIFY(root);
    QCOMPARE(seen, (QList<QByteArray>{ "[1,2]", "[3]" }));
    seen.clear();
    root = JsonReader::read("[[1,2],[3,[4,5]]]", *JsonPointer::parse(QStringLiteral("/1/1")),
        [&](qsizetype, const JsonNode &element) -> Result<void> {
            seen << canonical(element);
            return {};
        });
    QVERIFY(root);
    QCOMPARE(seen, (QList<QByteArray>{ "4", "5" }));
}

void TestJsonReader::streamedArrayErrors()
{
    const auto collect = [](qsizetype, const JsonNode &) -> Result<void> { return {}; };
    Result<JsonNode> root = JsonReader::read(
        R"({"data": {"a": 1}})", *JsonPointer::parse(QStringLiteral("/data")), collect);
    QVERIFY(!root);
    QVERIFY2(root.error().message().contains(QLatin1String("is an object, expected an array")),
        failure(root));
    QCOMPARE(root.error().code, ErrorCode::Permanent);

    root =
        JsonReader::read(R"({"rows": []})", *JsonPointer::parse(QStringLiteral("/data")), collect);
    QVERIFY(!root);
    QVERIFY2(root.error().message().contains(QLatin1String("\"/data\"")), failure(root));

    // A JSON error inside the array still names its offset.
    root = JsonReader::read(
        R"({"data": [1, 2,, 3]})", *JsonPointer::parse(QStringLiteral("/data")), collect);
    QVERIFY(!root);
    QVERIFY2(root.error().message().contains(QLatin1String("offset 15")), failure(root));

    // The element function's error stops the reading and comes back as it is.
    int calls = 0;
    root = JsonReader::read(
        "[1, 2, 3, 4]", JsonPointer(), [&](qsizetype index, const JsonNode &) -> Result<void> {
            ++calls;
            if (index == 1)
                return Error{ QStringLiteral("row 1 is bad"), QStringLiteral("/1"),
                    ErrorCode::Permanent };
            return {};
        });
    QVERIFY(!root);
    QCOMPARE(calls, 2);
    QCOMPARE(root.error().message(), QStringLiteral("/1: row 1 is bad"));
}

QTEST_GUILESS_MAIN(TestJsonReader)
#include "tst_jsonreader.moc"
