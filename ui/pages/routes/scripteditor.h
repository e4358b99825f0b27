#pragma once

#include <Qsci/qsciscintilla.h>

#include <QStringList>

class QsciAPIs;
class QsciLexerJavaScript;

namespace Hearth {

// The console's JavaScript editor for hooks and handlers: QScintilla with the
// JavaScript lexer, line numbers, folding, brace matching, completion of the
// $ctx API and the project's tables, colors that follow the console's palette,
// and a marker on the line a run failed at.
class ScriptEditor : public QsciScintilla
{
    Q_OBJECT
public:
    explicit ScriptEditor(QWidget *parent = nullptr);
    ~ScriptEditor() override;

    // The tables offered after $ctx.$repos. and #.
    void setTableNames(const QStringList &tables);
    // Every completion entry ("$ctx.$body", "$ctx.$repos.posts.find(…)", "@BODY", …).
    QStringList completionEntries() const { return m_entries; }

    // Marks line (1-based) as where a run failed and shows it; 0 clears the mark.
    void markErrorLine(int line, const QString &message = {});
    int errorLine() const { return m_errorLine; }
    bool hasErrorMarker(int line) const;

    // Redraws with the current palette (light or dark).
    void applyPalette();

public slots:
    void autoCompleteFromAll() override;
    void autoCompleteFromAPIs() override;
    void autoCompleteFromDocument() override;

protected:
    void changeEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;

private:
    // Whether the screen under the caret is known: QScintilla places its lists on it and
    // crashes when there is none (a window partly off every screen).
    bool caretOnScreen() const;

    QsciLexerJavaScript *m_lexer;
    QsciAPIs *m_apis;
    QStringList m_entries;
    int m_errorMarker = -1;
    int m_errorLine = 0;
    bool m_applying = false;
};

} // namespace Hearth
