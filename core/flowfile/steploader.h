#pragma once

// Reads the `steps` list of a flow file into StepDefinitions: the common keys, the one kind key
// and its spec (README, "Your own flows"). Part of FlowLoader; problems go to the YamlReader. Any
// thread.

#include <QList>

#include "flowfile/flowdefinition.h"
#include "flowfile/yamlreader.h"

namespace Sluice {

class StepLoader
{
public:
    explicit StepLoader(YamlReader &reader)
        : m_reader(reader)
    { }

    QList<StepDefinition> load(const YamlNode &steps, const YamlNode &key);

    // Reads one of `retries`, `retry-delay`, `backoff`, `timeout` into policy; false when
    // `name` is none of them. The flow's `defaults` use it too.
    bool readPolicy(
        const QString &name, const YamlNode &value, const YamlNode &key, StepPolicy &policy);
    static QStringList policyKeys();

private:
    StepDefinition loadStep(const YamlNode &step, qsizetype index);
    void loadRun(const YamlNode &value, const YamlNode &key, RunSpec &spec);
    void loadHttp(const YamlNode &value, const YamlNode &key, HttpSpec &spec);
    void loadImport(const YamlNode &value, const YamlNode &key, ImportSpec &spec);
    void loadExport(const YamlNode &value, const YamlNode &key, ExportSpec &spec);
    void loadEmail(const YamlNode &value, const YamlNode &key, EmailSpec &spec);
    std::optional<ColumnType> columnType(
        const YamlNode &value, const YamlNode &key, const QString &name);
    std::optional<ConflictRule> conflictRule(const YamlNode &value, const YamlNode &key);
    // A map spec of a kind: reported when it is not a map; its keys checked.
    bool isSpecMap(const YamlNode &value, const YamlNode &key, const QString &kind,
        const QStringList &allowed);
    // The key columns must be among the columns, when columns are given.
    void checkKeyColumns(
        const QStringList &key, const QStringList &columns, const SourcePosition &position);

    YamlReader &m_reader;
};

} // namespace Sluice
