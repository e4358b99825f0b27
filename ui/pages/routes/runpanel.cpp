#include "pages/routes/runpanel.h"

#include "pages/routes/methodchecks.h"
#include "shell/icons.h"
#include "shell/theme.h"
#include "widgets/busyindicator.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Hearth {

namespace {

// value parsed from text as JSON (empty text: undefined); *ok false when it does not parse.
QJsonValue parseJson(const QString &text, bool *ok)
{
    *ok = true;
    if (text.trimmed().isEmpty())
        return QJsonValue::Undefined;
    QJsonParseError error;
    // QJsonDocument reads objects and arrays only: wrap to read any value.
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1) {
        *ok = false;
        return QJsonValue::Undefined;
    }
    return doc.array().first();
}

QString pretty(const QJsonValue &value)
{
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Indented)).trimmed();
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Indented)).trimmed();
    const QByteArray one = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(one.mid(1, one.size() - 2)); // the value without its [ ]
}

} // namespace

RunPanel::RunPanel(QWidget *parent)
    : QWidget(parent), m_method(new QComboBox(this)), m_user(new QComboBox(this)),
      m_body(new QPlainTextEdit(this)), m_query(new QLineEdit(this)), m_params(new QLineEdit(this)),
      m_data(new QLineEdit(this)), m_dataLabel(new QLabel(tr("Data:"), this)), m_run(new QPushButton(this)),
      m_busy(new BusyIndicator(this)), m_status(new QLabel(this)), m_error(new QLabel(this)),
      m_tabs(new QTabWidget(this)), m_result(new QPlainTextEdit(this)), m_logs(new QPlainTextEdit(this))
{
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_method->setObjectName(QStringLiteral("runMethod"));
    m_method->addItems(MethodChecks::allMethods());
    m_user->setObjectName(QStringLiteral("runAsUser"));
    m_user->setToolTip(tr("The user $ctx.$user is during the run"));
    m_user->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_user->setMinimumContentsLength(16);
    setUsers({});
    m_body->setObjectName(QStringLiteral("runBody"));
    m_body->setFont(fixed);
    m_body->setPlaceholderText(tr("{\"title\": \"Hello\"}"));
    m_body->setTabChangesFocus(true);
    m_body->setFixedHeight(m_body->fontMetrics().lineSpacing() * 4 + 12);
    m_query->setObjectName(QStringLiteral("runQuery"));
    m_query->setFont(fixed);
    m_query->setPlaceholderText(tr("{\"limit\": 5}"));
    m_params->setObjectName(QStringLiteral("runParams"));
    m_params->setFont(fixed);
    m_params->setPlaceholderText(tr("{\"id\": 1}"));
    m_data->setObjectName(QStringLiteral("runData"));
    m_data->setFont(fixed);
    m_data->setPlaceholderText(tr("{\"data\": [{\"id\": 1}]}"));
    m_data->setToolTip(tr("What the handler answered: the post-hook's $ctx.$data"));
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setText(tr("Run"));
    m_run->setIcon(Icons::themed(QStringLiteral("run")));
    m_run->setToolTip(tr("Run the script once without saving it (Ctrl+Enter)"));
    connect(m_run, &QPushButton::clicked, this, &RunPanel::runRequested);

    auto *form = new QFormLayout;
    form->setSpacing(6);
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Method:"), m_method);
    form->addRow(tr("Run as:"), m_user);
    form->addRow(tr("Body:"), m_body);
    form->addRow(tr("Query:"), m_query);
    form->addRow(tr("Params:"), m_params);
    form->addRow(m_dataLabel, m_data);
    setDataVisible(false);
    auto *runRow = new QHBoxLayout;
    runRow->addWidget(m_run);
    runRow->addWidget(m_busy);
    runRow->addStretch(1);
    form->addRow(QString(), runRow);
    auto *inputs = new QWidget(this);
    inputs->setLayout(form);
    inputs->setMaximumWidth(380);
    form->setContentsMargins(0, 0, 0, 0);

    m_status->setObjectName(QStringLiteral("runStatus"));
    m_status->setText(tr("Run the script to see its result here."));
    m_error->setObjectName(QStringLiteral("runError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->hide();
    for (QPlainTextEdit *out : {m_result, m_logs}) {
        out->setReadOnly(true);
        out->setFont(fixed);
        out->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_result->setObjectName(QStringLiteral("runResult"));
    m_logs->setObjectName(QStringLiteral("runLogs"));
    m_tabs->setObjectName(QStringLiteral("runTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_result, tr("Result"));
    m_tabs->addTab(m_logs, tr("Logs"));

    auto *outputs = new QVBoxLayout;
    outputs->setSpacing(6);
    outputs->addWidget(m_status);
    outputs->addWidget(m_error);
    outputs->addWidget(m_tabs, 1);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 0);
    layout->setSpacing(16);
    layout->addWidget(inputs);
    layout->addLayout(outputs, 1);
}

void RunPanel::setUsers(const QJsonArray &users)
{
    const QString current = m_user->currentData().toString();
    m_user->clear();
    m_user->addItem(tr("Me (signed in)"), QString());
    for (const QJsonValue &user : users) {
        const QJsonObject row = user.toObject();
        m_user->addItem(row.value(u"email").toString(), row.value(u"id").toVariant().toString());
    }
    m_user->setCurrentIndex(qMax(0, m_user->findData(current)));
}

void RunPanel::setMethod(const QString &method)
{
    const int index = m_method->findText(method.toUpper());
    if (index >= 0)
        m_method->setCurrentIndex(index);
}

void RunPanel::setDataVisible(bool visible)
{
    m_data->setVisible(visible);
    m_dataLabel->setVisible(visible);
}

QString RunPanel::method() const
{
    return m_method->currentText();
}

QJsonObject RunPanel::request(QString *problem) const
{
    QJsonObject out{{QStringLiteral("method"), m_method->currentText()}};
    const struct
    {
        const char *key;
        QString text;
        bool object;
    } fields[] = {{"body", m_body->toPlainText(), false},
                  {"query", m_query->text(), true},
                  {"params", m_params->text(), true},
                  {"data", m_data->isVisibleTo(this) ? m_data->text() : QString(), false}};
    for (const auto &field : fields) {
        bool ok = false;
        const QJsonValue value = parseJson(field.text, &ok);
        if (!ok || (field.object && !value.isUndefined() && !value.isObject())) {
            *problem = field.object ? tr("%1 must be a JSON object").arg(QLatin1StringView(field.key))
                                    : tr("%1 is not valid JSON").arg(QLatin1StringView(field.key));
            return {};
        }
        if (!value.isUndefined())
            out.insert(QLatin1StringView(field.key), value);
    }
    const QString userId = m_user->currentData().toString();
    if (!userId.isEmpty())
        out.insert(QStringLiteral("userId"), userId);
    return out;
}

void RunPanel::setRunning(bool running)
{
    m_busy->setRunning(running);
    m_run->setEnabled(!running);
    if (running)
        m_status->setText(tr("Running…"));
}

void RunPanel::setRunEnabled(bool enabled)
{
    m_run->setEnabled(enabled);
}

void RunPanel::showOutcome(const QJsonObject &outcome)
{
    const bool success = outcome.value(u"success").toBool();
    const double ms = outcome.value(u"durationMs").toDouble();
    const QString duration = QLocale().toString(ms, 'f', ms < 10 ? 2 : 1);
    m_status->setText(success ? tr("Succeeded in %1 ms").arg(duration)
                              : tr("Failed after %1 ms").arg(duration));
    paintStatus(success ? Theme::positive() : Theme::negative());
    const QJsonObject error = outcome.value(u"error").toObject();
    if (!success) {
        const int line = error.value(u"line").toInt();
        QString text = error.value(u"message").toString();
        const QString code = error.value(u"code").toString();
        if (!code.isEmpty())
            text = tr("%1 (%2, HTTP %3)").arg(text, code).arg(error.value(u"statusCode").toInt());
        if (line > 0 && !text.contains(QStringLiteral("line %1").arg(line)))
            text = tr("Line %1: %2").arg(line).arg(text);
        m_error->setText(text);
        QPalette bad = m_error->palette();
        bad.setColor(QPalette::WindowText, Theme::negative());
        m_error->setPalette(bad);
    }
    m_error->setVisible(!success);
    m_result->setPlainText(pretty(outcome.value(u"result")));
    QStringList logs;
    for (const QJsonValue &line : outcome.value(u"logs").toArray())
        logs << (line.isString() ? line.toString() : pretty(line));
    m_logs->setPlainText(logs.join(u'\n'));
    m_tabs->setTabText(1, logs.isEmpty() ? tr("Logs") : tr("Logs (%1)").arg(logs.size()));
    if (success || !logs.isEmpty())
        m_tabs->setCurrentWidget(success || logs.isEmpty() ? m_result : m_logs);
}

void RunPanel::showProblem(const QString &message)
{
    m_status->setText(tr("Not run"));
    paintStatus(Theme::negative());
    m_error->setText(message);
    m_error->show();
}

void RunPanel::clearOutput()
{
    m_status->setText(tr("Run the script to see its result here."));
    m_status->setPalette(QPalette()); // back to the inherited colors
    m_error->hide();
    m_result->clear();
    m_logs->clear();
    m_tabs->setTabText(1, tr("Logs"));
}

void RunPanel::paintStatus(const QColor &color)
{
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, color);
    m_status->setPalette(p);
}

} // namespace Hearth
