#include "flowfile/flowloader.h"

#include <cmath>

#include <QCoreApplication>
#include <QDate>
#include <QFileInfo>

#include "flowfile/steploader.h"
#include "flowfile/yamlreader.h"

namespace Sluice {

namespace {

    QString tr(const char *text)
    {
        return QCoreApplication::translate("Sluice::FlowFile", text);
    }

    // Reads the parts of a flow file other than its steps.
    class TopLevelReader
    {
    public:
        explicit TopLevelReader(YamlReader &reader)
            : m_reader(reader)
        { }

        void readParams(const YAML::Node &value, const YAML::Node &key, FlowDefinition &flow);
        void readSchedule(const YAML::Node &value, const YAML::Node &key, FlowDefinition &flow);

    private:
        void readParam(const YAML::Node &name, const YAML::Node &value, FlowParam &param);
        std::optional<FlowParamType> inferType(const YAML::Node &value) const;
        void checkValue(const FlowParam &param, const PositionedText &value, const QString &what);

        YamlReader &m_reader;
    };

    std::optional<FlowParamType> TopLevelReader::inferType(const YAML::Node &value) const
    {
        if (!value.IsScalar())
            return std::nullopt;
        const QString text = QString::fromStdString(value.Scalar());
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
                tr("%1 \"%2\" of param `%3` is not of type %4")
                    .arg(what, value.value, param.name, flowParamTypeName(param.type)));
        }
    }

    void TopLevelReader::readParam(
        const YAML::Node &name, const YAML::Node &value, FlowParam &param)
    {
        if (value.IsNull()) {
            param.required = true;
            return;
        }
        if (value.IsSequence()) {
            m_reader.error(YamlReader::position(value, name),
                tr("param `%1` must be a map of type, default, required, choices, description, "
                   "or a default value, not a list")
                    .arg(param.name));
            return;
        }
        if (value.IsScalar()) {
            param.type = inferType(value).value_or(FlowParamType::String);
            param.defaultValue = PositionedText{ QString::fromStdString(value.Scalar()),
                YamlReader::position(value) };
            return;
        }
        m_reader.checkKeys(value,
            { QStringLiteral("type"), QStringLiteral("default"), QStringLiteral("required"),
                QStringLiteral("choices"), QStringLiteral("description") },
            tr("param `%1`").arg(param.name));
        bool typed = false;
        if (const YAML::Node type = value["type"]) {
            const QStringList names = { QStringLiteral("string"), QStringLiteral("int"),
                QStringLiteral("double"), QStringLiteral("bool"), QStringLiteral("date") };
            if (const auto word = m_reader.choice(type, type, QStringLiteral("type"), names)) {
                param.type = FlowParamType(names.indexOf(*word));
                typed = true;
            }
        }
        if (const YAML::Node fallback = value["default"]) {
            if (const auto text = m_reader.scalar(fallback, fallback, QStringLiteral("default"))) {
                param.defaultValue = *text;
                if (!typed)
                    param.type = inferType(fallback).value_or(FlowParamType::String);
            }
        }
        if (const YAML::Node required = value["required"])
            param.required =
                m_reader.boolean(required, required, QStringLiteral("required")).value_or(false);
        if (const YAML::Node description = value["description"]) {
            if (const auto text =
                    m_reader.scalar(description, description, QStringLiteral("description")))
                param.description = text->value;
        }
        if (const YAML::Node choices = value["choices"]) {
            if (!choices.IsSequence() || choices.size() == 0) {
                m_reader.error(YamlReader::position(choices),
                    tr("`choices` must be a non-empty list of values, not %1")
                        .arg(YamlReader::kindName(choices)));
            } else {
                param.choices = m_reader.scalarList(choices, choices, QStringLiteral("choices"));
            }
        }
        for (const PositionedText &choice : param.choices)
            checkValue(param, choice, tr("choice"));
        if (param.defaultValue) {
            checkValue(param, *param.defaultValue, tr("default"));
            const QString fallback = param.defaultValue->value;
            if (!param.choices.isEmpty() && !fallback.contains(QLatin1String("${"))) {
                QStringList values;
                for (const PositionedText &choice : param.choices)
                    values << choice.value;
                if (!values.contains(fallback))
                    m_reader.error(param.defaultValue->position,
                        tr("default \"%1\" of param `%2` is not one of its choices: %3")
                            .arg(fallback, param.name, values.join(QStringLiteral(", "))));
            }
        }
    }

    void TopLevelReader::readParams(
        const YAML::Node &value, const YAML::Node &key, FlowDefinition &flow)
    {
        if (!value.IsMap()) {
            m_reader.error(YamlReader::position(value, key),
                tr("`params` must be a map of param names, not %1")
                    .arg(YamlReader::kindName(value)));
            return;
        }
        m_reader.checkDuplicateKeys(value);
        for (auto it = value.begin(); it != value.end(); ++it) {
            FlowParam param;
            param.name = YamlReader::text(it->first);
            param.position = YamlReader::position(it->first);
            if (!YamlReader::isName(param.name)) {
                m_reader.error(param.position,
                    tr("bad param name \"%1\": a letter, then letters, digits, `-` or `_`, at "
                       "most 64")
                        .arg(param.name));
                continue;
            }
            if (flow.param(param.name))
                continue; // reported as a duplicate key
            readParam(it->first, it->second, param);
            if (!param.defaultValue)
                param.required = true;
            flow.params.append(param);
        }
    }

    void TopLevelReader::readSchedule(
        const YAML::Node &value, const YAML::Node &key, FlowDefinition &flow)
    {
        std::optional<PositionedText> text;
        bool isCron = true;
        QString zone;
        std::optional<Schedule::MisfirePolicy> misfire;
        if (value.IsScalar()) {
            text = m_reader.scalar(value, key, QStringLiteral("cron"));
        } else if (value.IsMap()) {
            m_reader.checkKeys(value,
                { QStringLiteral("cron"), QStringLiteral("tz"), QStringLiteral("misfire"),
                    QStringLiteral("every") },
                QStringLiteral("`schedule`"));
            const YAML::Node cron = value["cron"];
            const YAML::Node every = value["every"];
            if (bool(cron) == bool(every)) {
                m_reader.error(YamlReader::position(value, key),
                    tr("`schedule` needs exactly one of `cron` and `every`"));
                return;
            }
            isCron = bool(cron);
            text = isCron ? m_reader.scalar(cron, key, QStringLiteral("cron"))
                          : m_reader.scalar(every, key, QStringLiteral("every"));
            if (const YAML::Node tz = value["tz"]) {
                const auto name = m_reader.scalar(tz, tz, QStringLiteral("tz"));
                if (!name)
                    return;
                if (Result<QTimeZone> ok = Schedule::parseTimeZone(name->value); !ok) {
                    m_reader.error(name->position,
                        tr("bad time zone \"%1\": %2").arg(name->value, ok.error().what));
                    return;
                }
                zone = name->value;
            }
            if (const YAML::Node policy = value["misfire"]) {
                if (const auto word = m_reader.choice(policy, policy, QStringLiteral("misfire"),
                        { QStringLiteral("skip"), QStringLiteral("run-once"),
                            QStringLiteral("catch-up") }))
                    misfire = *Schedule::parseMisfirePolicy(*word);
            }
        } else {
            m_reader.error(YamlReader::position(value, key),
                tr("`schedule` must be a cron expression or a map with `cron` or `every`, not %1")
                    .arg(YamlReader::kindName(value)));
            return;
        }
        if (!text)
            return;
        Result<Schedule> schedule = isCron ? Schedule::fromCron(text->value, zone)
                                           : Schedule::fromInterval(text->value, {}, zone);
        if (!schedule) {
            m_reader.error(text->position,
                isCron ? tr("bad cron expression \"%1\": %2")
                             .arg(text->value, schedule.error().message())
                       : tr("bad interval \"%1\": %2").arg(text->value, schedule.error().what));
            return;
        }
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
    YamlReader reader(source, displayPath);
    YAML::Node root;
    try {
        root = YAML::Load(source.toStdString());
    } catch (const YAML::Exception &e) {
        reader.error({ e.mark.line + 1, e.mark.column + 1 },
            tr("YAML syntax: %1").arg(QString::fromStdString(e.msg)));
        loaded.diagnostics = reader.diagnostics();
        return loaded;
    }

    FlowDefinition flow;
    flow.filePath = filePath;
    flow.name = QFileInfo(filePath).completeBaseName();
    try {
        reader.reportUnterminatedQuotes(root);
        if (!root.IsMap()) {
            reader.error({ 1, 1 },
                root.IsNull() ? tr("the file is empty: a flow needs at least `steps`")
                              : tr("a flow file must be a map of keys such as `steps`, not %1")
                                    .arg(YamlReader::kindName(root)));
            loaded.diagnostics = reader.diagnostics();
            return loaded;
        }
        const QStringList keys = { QStringLiteral("description"), QStringLiteral("params"),
            QStringLiteral("schedule"), QStringLiteral("timeout"), QStringLiteral("overlap"),
            QStringLiteral("max-parallel"), QStringLiteral("defaults"), QStringLiteral("env"),
            QStringLiteral("steps") };
        reader.checkKeys(root, keys, tr("the flow"));
        TopLevelReader top(reader);
        StepLoader steps(reader);
        bool hasSteps = false;
        for (auto it = root.begin(); it != root.end(); ++it) {
            const QString name = YamlReader::text(it->first);
            const YAML::Node value = it->second;
            if (name == u"description") {
                if (const auto text = reader.scalar(value, it->first, name))
                    flow.description = text->value;
            } else if (name == u"params") {
                top.readParams(value, it->first, flow);
            } else if (name == u"schedule") {
                top.readSchedule(value, it->first, flow);
            } else if (name == u"timeout") {
                flow.timeoutMs = reader.duration(value, it->first, name, false);
            } else if (name == u"overlap") {
                if (const auto word = reader.choice(value, it->first, name,
                        { QStringLiteral("skip"), QStringLiteral("allow") }))
                    flow.overlap = *word == u"skip" ? Overlap::Skip : Overlap::Allow;
            } else if (name == u"max-parallel") {
                if (const auto n = reader.integer(value, it->first, name, 1, 1024))
                    flow.maxParallel = int(*n);
            } else if (name == u"defaults") {
                if (!value.IsMap()) {
                    reader.error(YamlReader::position(value, it->first),
                        tr("`defaults` must be a map of %1, not %2")
                            .arg(StepLoader::policyKeys().join(QStringLiteral(", ")),
                                YamlReader::kindName(value)));
                    continue;
                }
                reader.checkKeys(value, StepLoader::policyKeys(), QStringLiteral("`defaults`"));
                for (auto d = value.begin(); d != value.end(); ++d)
                    steps.readPolicy(
                        YamlReader::text(d->first), d->second, d->first, flow.defaults);
            } else if (name == u"env") {
                flow.env = reader.scalarMap(value, it->first, name);
            } else if (name == u"steps") {
                hasSteps = true;
                flow.steps = steps.load(value, it->first);
            }
        }
        if (!hasSteps)
            reader.error({ 1, 1 }, tr("the flow has no `steps`"));
    } catch (const YAML::Exception &e) {
        // yaml-cpp throws on conversions it cannot do; every value is read as a scalar first,
        // so this is a last resort that still names a place.
        reader.error({ e.mark.line + 1, e.mark.column + 1 }, QString::fromStdString(e.msg));
    }
    loaded.definition = std::move(flow);
    loaded.diagnostics = reader.diagnostics();
    return loaded;
}

} // namespace Sluice
