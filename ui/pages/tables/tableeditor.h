#pragma once

#include <QHash>
#include <QJsonObject>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTabWidget;
class QTableView;

namespace Hearth {

class ColumnForm;
class DefinitionListModel;
class RelationForm;

// The definition of one table, editable: name, description, primary key
// (new tables), its columns and its relations, each a list with a form for
// the selected entry. It only edits: the page sends definition() to the
// server when saveRequested() (the preview and its confirmation are the page's).
class TableEditor : public QWidget
{
    Q_OBJECT
public:
    explicit TableEditor(QWidget *parent = nullptr);

    // A blank definition for a table to create.
    void startNew();
    // A row of GET /hearth_table/:id (nested columns and relations); tableNames
    // resolves relation targets given as {"id":…}. System tables are shown read-only.
    void load(const QJsonObject &row, const QHash<qint64, QString> &tableNames);
    // The tables relations may point at, in the order offered.
    void setTargets(const QStringList &tables);
    void clear();

    bool hasTable() const { return m_hasTable; }
    bool isNew() const { return m_hasTable && m_tableId == 0; }
    bool isSystem() const { return m_system; }
    qint64 tableId() const { return m_tableId; }
    // The name the server knows (empty for a new table).
    QString savedName() const { return m_savedName; }
    // The request body for POST or PATCH /hearth_table(/:id).
    QJsonObject definition() const;
    QJsonObject savedDefinition() const { return m_saved; }
    bool isDirty() const;
    void focusName();
    // While a call runs: Save and Drop are disabled.
    void setBusy(bool busy);

public slots:
    void revert();

signals:
    void dirtyChanged(bool dirty);
    void saveRequested();
    void dropRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void showDefinition(const QJsonObject &definition);
    void setReadOnly(bool readOnly);
    void addColumn();
    void removeColumn();
    void moveColumn(int by);
    void addRelation();
    void removeRelation();
    void columnSelected();
    void relationSelected();
    void edited();
    void updateState();
    QString freshName(const QString &base) const;

    bool m_hasTable = false;
    bool m_system = false;
    bool m_busy = false;
    bool m_loading = false;
    bool m_lastDirty = false;
    qint64 m_tableId = 0;
    QString m_savedName;
    QJsonObject m_saved;
    QStringList m_targets;

    QLabel *m_heading;
    QLabel *m_status;
    QLabel *m_systemNote;
    QLineEdit *m_name;
    QComboBox *m_primaryKey;
    QLineEdit *m_description;
    QTabWidget *m_tabs;
    DefinitionListModel *m_columns;
    QTableView *m_columnView;
    QPushButton *m_addColumn;
    QPushButton *m_removeColumn;
    QPushButton *m_columnUp;
    QPushButton *m_columnDown;
    ColumnForm *m_columnForm;
    DefinitionListModel *m_relations;
    QTableView *m_relationView;
    QPushButton *m_addRelation;
    QPushButton *m_removeRelation;
    RelationForm *m_relationForm;
    QPushButton *m_drop;
    QPushButton *m_revert;
    QPushButton *m_save;
};

} // namespace Hearth
