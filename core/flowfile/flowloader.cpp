#include "flowfile/flowloader.h"

#include <cmath>

#include <QCoreApplication>
#include <QDate>
#include <QFileInfo>

#include "flowfile/steploader.h"
#include "flowfile/yamlreader.h"

namespace Sluice {

namespace {

    // Reads the parts of a flow file other than its steps.
    class TopLevelReader
    {
    public:
        explicit TopLevelReader(YamlReader &reader)
            : m_reader(reader)
        { }

        void readParams(const YamlNode &value, const YamlNode &key, FlowDefinition &flow);
        void readSchedule(const YamlNode &value, const YamlNode &key, FlowDefinition &flow);

    private:
        void readParam(const YamlNode &name, const YamlNode &value, FlowParam &param);
        std::optional<FlowParamType> inferType(const YamlNode &value) const;
        void checkValue(const FlowParam &param, const PositionedText &value, const QString &what);

        YamlReader &m_reader;
    };

    std::optional<FlowParamType> TopLevelReader::inferType(const YamlNode &value) const
    {
        if (!value.isScalar())
            return std::nullopt;
        const QString text = value.text();
        if (m_reader.isQuoted(value))
            return FlowParamType::String;
        for (FlowParamType type : { FlowParamType::Bool, FlowParamType::Int, FlowParamType::Double,
                 FlowParamType::Date }) {
            if (FlowLoader::fitsType(text, type))
                return type;
        }
        return FlowParamType::String;
    }

    void TopLevelReader::checkValue(
        const FlowParam &param, const PositionedText &value, const QString &what)
    {
        // A default may use ${run.*}: its value is known only when a run starts.
        if (value.value.contains(QLatin1String("${")))
            return;
        if (!FlowLoader::fitsType(value.value, param.type)) {
            m_reader.error(value.position,
                QCoreApplication::translate(
                    "Sluice::FlowFile", "%1 \"%2\" of param `%3` is not of type %4")
                    .arg(what, value.value, param.name, flowParamTypeName(param.type)));
        }
    }

    void TopLevelReader::readParam(const YamlNode &name, const YamlNode &value, FlowParam &param)
    {
        if (value.isNull()) {
            param.required = true;
            return;
        }
        if (value.isSequence()) {
            m_reader.error(YamlReader::position(value, name),
                QCoreApplication::translate("Sluice::FlowFile",
                    "param `%1` must be a map of type, default, required, choices, description, "
                    "or a default value, not a list")
                    .arg(param.name));
            return;
        }
        if (value.isScalar()) {
            param.type = inferType(value).value_or(FlowParamType::String);
            param.defaultValue = PositionedText{ value.text(), YamlReader::position(value) };
            return;
        }
        m_reader.checkKeys(value,
            { QStringLiteral("type"), QStringLiteral("default"), QStringLiteral("required"),
                QStringLiteral("choices"), QStringLiteral("description") },
            QCoreApplication::translate("Sluice::FlowFile", "param `%1`").arg(param.name));
        bool typed = false;
        if (const YamlNode type = value["type"]) {
            const QStringList names = { QStringLiteral("string"), QStringLiteral("int"),
                QStringLiteral("double"), QStringLiteral("bool"), QStringLiteral("date") };
            if (const auto word = m_reader.choice(type, type, QStringLiteral("type"), names)) {
                param.type = FlowParamType(names.indexOf(*word));
                typed = true;
            }
        }
        if (const YamlNode fallback = value["default"]) {
            if (const auto text = m_reader.scalar(fallback, fallback, QStringLiteral("default"))) {
                param.defaultValue = *text;
                if (!typed)
                    param.type = inferType(fallback).value_or(FlowParamType::String);
            }
        }
        if (const YamlNode required = value["required"])
            param.required =
                m_reader.boolean(required, required, QStringLiteral("required")).value_or(false);
        if (const YamlNode description = value["description"]) {
            if (const auto text =
                    m_reader.scalar(description, description, QStringLiteral("description")))
                param.description = text->value;
        }
        if (const YamlNode choices = value["choices"]) {
            if (!choices.isSequence() || choices.size() == 0) {
                m_reader.error(YamlReader::position(choices),
                    QCoreApplication::translate(
                        "Sluice::FlowFile", "`choices` must be a non-empty list of values, not %1")
                        .arg(YamlReader::kindName(choices)));
            } else {
                param.choices = m_reader.scalarList(choices, choices, QStringLiteral("choices"));
            }
        }
        for (const PositionedText &choice : param.choices)
            checkValue(param, choice, QCoreApplication::translate("Sluice::FlowFile", "choice"));
        if (param.defaultValue) {
            checkValue(param, *param.defaultValue,
                QCoreApplication::translate("Sluice::FlowFile", "default"));
            const QString fallback = param.defaultValue->value;
            if (!param.choices.isEmpty() && !fallback.contains(QLatin1String("${"))) {
                QStringList values;
                for (const PositionedText &choice : param.choices)
                    values << choice.value;
                if (!values.contains(fallback))
                    m_reader.error(param.defaultValue->position,
                        QCoreApplication::translate("Sluice::FlowFile",
                            "default \"%1\" of param `%2` is not one of its choices: %3")
                            .arg(fallback, param.name, values.join(QStringLiteral(", "))));
            }
        }
    }

    void TopLevelReader::readParams(
        const YamlNode &value, const YamlNode &key, FlowDefinition &flow)
    {
        if (!value.isMap()) {
            m_reader.error(YamlReader::position(value, key),
                QCoreApplication::translate(
                    "Sluice::FlowFile", "`params` must be a map of param names, not %1")
                    .arg(YamlReader::kindName(value)));
            return;
        }
        m_reader.checkDuplicateKeys(value);
        for (const auto &it : value.entries()) {
            FlowParam param;
            param.name = YamlReader::text(it.first);
            param.position = YamlReader::position(it.first);
            if (!YamlReader::isName(param.name)) {
                m_reader.error(param.position,
                    QCoreApplication::translate("Sluice::FlowFile",
                        "bad param name \"%1\": a letter, then letters, digits, `-` or `_`, at "
                        "most 64")
                        .arg(param.name));
                continue;
            }
            if (flow.param(param.name))
                continue; // reported as a duplicate key
            readParam(it.first, it.second, param);
            if (!param.defaultValue)
                param.required = true;
            flow.params.append(param);
        }
    }

    void TopLevelReader::readSchedule(
        const YamlNode &value, const YamlNode &key, FlowDefinition &flow)
    {
        std::optional<PositionedText> text;
        bool isCron = true;
        bool badZone = false;
        QString zone;
        std::optional<Schedule::MisfirePolicy> misfire;
        if (value.isScalar()) {
            text = m_reader.scalar(value, key, QStringLiteral("cron"));
        } else if (value.isMap()) {
            m_reader.checkKeys(value,
                { QStringLiteral("cron"), QStringLiteral("tz"), QStringLiteral("misfire"),
                    QStringLiteral("every") },
                QStringLiteral("`schedule`"));
            const YamlNode cron = value["cron"];
            const YamlNode every = value["every"];
            if (bool(cron) == bool(every)) {
                m_reader.error(YamlReader::position(value, key),
                    QCoreApplication::translate(
                        "Sluice::FlowFile", "`schedule` needs exactly one of `cron` and `every`"));
                return;
            }
            isCron = bool(cron);
            text = isCron ? m_reader.scalar(cron, key, QStringLiteral("cron"))
                          : m_reader.scalar(every, key, QStringLiteral("every"));
            // A bad zone still lets the expression be checked (in UTC); the schedule is left
            // out.
            if (const YamlNode tz = value["tz"]) {
                const auto name = m_reader.scalar(tz, tz, QStringLiteral("tz"));
                if (!name) {
                    badZone = true;
                } else if (Result<QTimeZone> ok = Schedule::parseTimeZone(name->value); !ok) {
                    m_reader.error(name->position,
                        QCoreApplication::translate("Sluice::FlowFile", "bad time zone \"%1\": %2")
                            .arg(name->value, ok.error().what));
                    badZone = true;
                } else {
                    zone = name->value;
                }
            }
            if (const YamlNode policy = value["misfire"]) {
                if (const auto word = m_reader.choice(policy, policy, QStringLiteral("misfire"),
                        { QStringLiteral("skip"), QStringLiteral("run-once"),
                            QStringLiteral("catch-up") }))
                    misfire = *Schedule::parseMisfirePolicy(*word);
            }
        } else {
            m_reader.error(YamlReader::position(value, key),
                QCoreApplication::translate("Sluice::FlowFile",
                    "`schedule` must be a cron expression or a map with `cron` or `every`, not %1")
                    .arg(YamlReader::kindName(value)));
            return;
        }
        if (!text)
            return;
        Result<Schedule> schedule = isCron ? Schedule::fromCron(text->value, zone)
                                           : Schedule::fromInterval(text->value, {}, zone);
        if (!schedule) {
            m_reader.error(text->position,
                isCron ? QCoreApplication::translate(
                    "Sluice::FlowFile", "bad cron expression \"%1\": %2")
                             .arg(text->value, schedule.error().message())
                       : QCoreApplication::translate("Sluice::FlowFile", "bad interval \"%1\": %2")
                             .arg(text->value, schedule.error().what));
            return;
        }
        if (badZone)
            return;
        if (misfire)
            schedule->setMisfirePolicy(*misfire);
        flow.schedule = FlowSchedule{ *schedule, YamlReader::position(value) };
    }

} // namespace

bool FlowLoader::fitsType(const QString &text, FlowParamType type)
{
    bool ok = false;
    switch (type) {
    case FlowParamType::String:
        return true;
    case FlowParamType::Int:
        text.toLongLong(&ok);
        return ok && !text.startsWith(u'+') && !text.contains(u' ');
    case FlowParamType::Double: {
        const double number = text.toDouble(&ok);
        return ok && std::isfinite(number) && !text.contains(u' ');
    }
    case FlowParamType::Bool:
        return text == u"true" || text == u"false";
    case FlowParamType::Date:
        return text.size() == 10 && QDate::fromString(text, Qt::ISODate).isValid();
    }
    return false;
}

FlowLoader::Loaded FlowLoader::load(
    const QByteArray &source, const QString &filePath, const QString &displayPath)
{
    Loaded loaded;
    YamlReader reader(displayPath);
    YamlDocument document;
    if (!document.parse(source)) {
        reader.error(document.errorPosition(), document.errorMessage());
        loaded.diagnostics = reader.diagnostics();
        return loaded;
    }
    const YamlNode root = document.root();

    FlowDefinition flow;
    flow.filePath = filePath;
    flow.name = QFileInfo(filePath).completeBaseName();
    {
        if (!root.isMap()) {
            reader.error({ 1, 1 },
                root.isNull() ? QCoreApplication::translate(
                    "Sluice::FlowFile", "the file is empty: a flow needs at least `steps`")
                              : QCoreApplication::translate("Sluice::FlowFile",
                                  "a flow file must be a map of keys such as `steps`, not %1")
                                    .arg(YamlReader::kindName(root)));
            loaded.diagnostics = reader.diagnostics();
            return loaded;
        }
        const QStringList keys = { QStringLiteral("description"), QStringLiteral("params"),
            QStringLiteral("schedule"), QStringLiteral("timeout"), QStringLiteral("overlap"),
            QStringLiteral("on-crash"), QStringLiteral("max-parallel"), QStringLiteral("defaults"),
            QStringLiteral("env"), QStringLiteral("steps") };
        reader.checkKeys(root, keys, QCoreApplication::translate("Sluice::FlowFile", "the flow"));
        TopLevelReader top(reader);
        StepLoader steps(reader);
        bool hasSteps = false;
        for (const auto &it : root.entries()) {
            const QString name = YamlReader::text(it.first);
            const YamlNode value = it.second;
            if (name == u"description") {
                if (const auto text = reader.scalar(value, it.first, name))
                    flow.description = text->value;
            } else if (name == u"params") {
                top.readParams(value, it.first, flow);
            } else if (name == u"schedule") {
                top.readSchedule(value, it.first, flow);
            } else if (name == u"timeout") {
                flow.timeoutMs = reader.duration(value, it.first, name, false);
            } else if (name == u"overlap") {
                if (const auto word = reader.choice(
                        value, it.first, name, { QStringLiteral("skip"), QStringLiteral("allow") }))
                    flow.overlap = *word == u"skip" ? Overlap::Skip : Overlap::Allow;
            } else if (name == u"on-crash") {
                if (const auto word = reader.choice(
                        value, it.first, name, { QStringLiteral("fail"), QStringLiteral("retry") }))
                    flow.retryOnCrash = *word == u"retry";
            } else if (name == u"max-parallel") {
                if (const auto n = reader.integer(value, it.first, name, 1, 1024))
                    flow.maxParallel = int(*n);
            } else if (name == u"defaults") {
                if (!value.isMap()) {
                    reader.error(YamlReader::position(value, it.first),
                        QCoreApplication::translate(
                            "Sluice::FlowFile", "`defaults` must be a map of %1, not %2")
                            .arg(StepLoader::policyKeys().join(QStringLiteral(", ")),
                                YamlReader::kindName(value)));
                    continue;
                }
                reader.checkKeys(value, StepLoader::policyKeys(), QStringLiteral("`defaults`"));
                for (const auto &d : value.entries())
                    steps.readPolicy(YamlReader::text(d.first), d.second, d.first, flow.defaults);
            } else if (name == u"env") {
                flow.env = reader.scalarMap(value, it.first, name);
            } else if (name == u"steps") {
                hasSteps = true;
                flow.steps = steps.load(value, it.first);
            }
        }
        if (!hasSteps)
            reader.error({ 1, 1 },
                QCoreApplication::translate("Sluice::FlowFile", "the flow has no `steps`"));
    }
    loaded.definition = std::move(flow);
    loaded.diagnostics = reader.diagnostics();
    return loaded;
}

} // namespace Sluice
