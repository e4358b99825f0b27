#pragma once

#include "pages/routes/scriptkind.h"

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Hearth {

class MethodChecks;

// The settings of the script open in the editor, above it: for a hook its
// name, priority, methods (none = all), enabled, global, timeout and, for a
// postHook, run after the response; for a handler its method and timeout.
class ScriptForm : public QWidget
{
    Q_OBJECT
public:
    explicit ScriptForm(QWidget *parent = nullptr);

    // Shows row's settings (signals quiet).
    void setScript(ScriptKind kind, const QJsonObject &row);
    // The settings as the row's fields (sourceCode not included).
    QJsonObject values() const;

signals:
    void changed();

private:
    ScriptKind m_kind = ScriptKind::PreHook;
    QLineEdit *m_name;
    QLabel *m_nameLabel;
    QLabel *m_method;
    QSpinBox *m_priority;
    QLabel *m_priorityLabel;
    QSpinBox *m_timeout;
    MethodChecks *m_methods;
    QLabel *m_methodsLabel;
    QCheckBox *m_enabled;
    QCheckBox *m_global;
    QCheckBox *m_afterResponse;
};

} // namespace Hearth
