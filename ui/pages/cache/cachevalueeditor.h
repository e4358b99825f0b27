#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QJsonValue>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace Hearth {

// One cache entry (GET /admin/cache/key) seen and edited: its value as
// pretty-printed JSON, its time to live, Save and Delete. User keys are
// editable; system keys (rate limits, locks) are shown read-only. The editor
// only asks: the page sends the requests and calls setEntry() with the answer.
class CacheValueEditor : public QWidget
{
    Q_OBJECT
public:
    explicit CacheValueEditor(QWidget *parent = nullptr);

    // The entry {key, value, kind, type, bytes, ttlMs, idleMs}; an empty object shows the empty state.
    void setEntry(const QJsonObject &entry);
    // The same key again (after a new time to live): the details and time to live
    // are the server's, a value being edited is kept.
    void updateEntry(const QJsonObject &entry);
    // The entry's key (while a new one is being written: what is typed).
    QString key() const;
    // An empty user entry to fill in: a key, a value, a time to live (an hour); Save creates it.
    void startNewKey();
    bool isNewKey() const { return m_creating; }
    // Whether leaving the entry would lose what was typed (a value, a new key's name).
    bool hasUnsavedChanges() const;
    // Forget that: the next entry may replace it.
    void discardEdits();
    bool hasEntry() const { return !m_entry.isEmpty(); }
    bool isEditable() const;
    // "Loading…" / "Gone" while the entry is not (or no longer) there.
    void showNote(const QString &text);

    // The value in the editor; false (and *error) when it is not JSON.
    bool editedValue(QJsonValue *value, QString *error) const;
    // The time to live the editor holds, for POST / PATCH: milliseconds, or null for never.
    // Unless the user changed it, what is left of the loaded one.
    QJsonValue editedTtl() const;

    static QString prettyJson(const QJsonValue &value);
    // text as one JSON value ("42", "\"hi\"", "{…}"); false and *error when it is not.
    static bool parseJson(const QString &text, QJsonValue *value, QString *error);

public slots:
    // Emit saveRequested with the edited value and time to live (or problem).
    void save();
    void applyTtl();
    void requestDelete();

signals:
    void saveRequested(const QString &key, const QJsonValue &value, const QJsonValue &ttlMs);
    void ttlRequested(const QString &key, const QJsonValue &ttlMs);
    void deleteRequested(const QString &key);
    // The value cannot be saved (not JSON): plain words for the message bar.
    void problem(const QString &text);

private:
    void setTtlFields(const QJsonValue &ttlMs);
    void updateButtons();

    QJsonObject m_entry;
    QElapsedTimer m_loadedAt;
    bool m_ttlEdited = false;
    bool m_settingUp = false;
    bool m_creating = false;
    QStackedWidget *m_stack;
    QLabel *m_emptyNote;
    QLabel *m_keyLabel;
    QLineEdit *m_newKey;
    QLabel *m_details;
    QLabel *m_readOnlyNote;
    QPlainTextEdit *m_value;
    QCheckBox *m_never;
    QSpinBox *m_ttlAmount;
    QComboBox *m_ttlUnit;
    QPushButton *m_applyTtl;
    QPushButton *m_save;
    QPushButton *m_delete;
};

} // namespace Hearth
