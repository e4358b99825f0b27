#include "pages/routes/scripteditor.h"

#include "pages/routes/ctxcompletions.h"
#include "shell/theme.h"

#include <Qsci/qsciapis.h>
#include <Qsci/qscilexerjavascript.h>

#include <QEvent>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QShortcut>

namespace Hearth {

namespace {

// JavaScript whose words may hold $ (the $ctx API), @ (macros) and # (#table),
// so completion starts at $ctx, @BODY and #posts. Only "." separates words (the
// C++ lexer's "::" comes first otherwise, and QsciAPIs splits entries on the first).
class ScriptLexer : public QsciLexerJavaScript
{
public:
    using QsciLexerJavaScript::QsciLexerJavaScript;
    const char *wordCharacters() const override
    {
        return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$@#";
    }
    QStringList autoCompletionWordSeparators() const override { return {QStringLiteral(".")}; }
};

} // namespace

ScriptEditor::ScriptEditor(QWidget *parent) : QsciScintilla(parent), m_lexer(new ScriptLexer(this))
{
    setObjectName(QStringLiteral("scriptEditor"));
    setUtf8(true);
    m_lexer->setFoldComments(true);
    m_lexer->setFoldCompact(false);
    setLexer(m_lexer);
    m_apis = new QsciAPIs(m_lexer);

    setTabWidth(2);
    setIndentationsUseTabs(false);
    setAutoIndent(true);
    setIndentationGuides(true);
    setBackspaceUnindents(true);
    setCaretLineVisible(true);
    // A horizontal scroll bar only as wide as the longest line seen.
    SendScintilla(SCI_SETSCROLLWIDTH, 1L);
    SendScintilla(SCI_SETSCROLLWIDTHTRACKING, 1L);
    setBraceMatching(QsciScintilla::SloppyBraceMatch);
    setFolding(QsciScintilla::BoxedTreeFoldStyle, 2);
    setMarginType(0, QsciScintilla::NumberMargin);
    setMarginLineNumbers(0, true);
    setMarginWidth(0, QStringLiteral("00000"));
    // Margin 1 shows the error marker.
    setMarginType(1, QsciScintilla::SymbolMargin);
    setMarginWidth(1, 14);
    setMarginSensitivity(1, false);
    m_errorMarker = markerDefine(QsciScintilla::Background);
    markerDefine(QsciScintilla::RightTriangle, m_errorMarker + 1);
    setMarginMarkerMask(1, 1 << (m_errorMarker + 1));

    setAutoCompletionSource(QsciScintilla::AcsAll);
    setAutoCompletionThreshold(2);
    setAutoCompletionCaseSensitivity(false);
    setAutoCompletionReplaceWord(true);
    setAutoCompletionUseSingle(QsciScintilla::AcusNever);
    setCallTipsStyle(QsciScintilla::CallTipsContext);
    setCallTipsVisible(0);

    // Ctrl+Space asks for the list (it also opens by itself while typing).
    auto *complete = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Space), this);
    complete->setContext(Qt::WidgetShortcut);
    connect(complete, &QShortcut::activated, this, &ScriptEditor::autoCompleteFromAll);

    setTableNames({});
    applyPalette();
}

ScriptEditor::~ScriptEditor()
{
    // The word list is prepared in a thread that calls the lexer: stop it while the lexer is whole.
    m_apis->cancelPreparation();
    m_lexer->setAPIs(nullptr);
    delete m_apis;
}

void ScriptEditor::setTableNames(const QStringList &tables)
{
    m_entries = CtxCompletions::entries(tables);
    // prepare() works in a thread; a running preparation is dropped for the new list.
    m_apis->cancelPreparation();
    m_apis->clear();
    for (const QString &entry : std::as_const(m_entries))
        m_apis->add(entry);
    m_apis->prepare();
}

void ScriptEditor::markErrorLine(int line, const QString &message)
{
    markerDeleteAll(m_errorMarker);
    markerDeleteAll(m_errorMarker + 1);
    m_errorLine = line > 0 && line <= lines() ? line : 0;
    setToolTip(m_errorLine ? message : QString());
    if (!m_errorLine)
        return;
    markerAdd(m_errorLine - 1, m_errorMarker);
    markerAdd(m_errorLine - 1, m_errorMarker + 1);
    setCursorPosition(m_errorLine - 1, 0);
    ensureLineVisible(m_errorLine - 1);
}

bool ScriptEditor::hasErrorMarker(int line) const
{
    return line > 0 && (markersAtLine(line - 1) & (1u << m_errorMarker));
}

void ScriptEditor::applyPalette()
{
    const QPalette p = palette();
    const QColor base = p.color(QPalette::Base);
    const QColor text = p.color(QPalette::Text);
    const bool dark = base.lightness() < 128;
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_lexer->setDefaultFont(font);
    m_lexer->setFont(font, -1);
    m_lexer->setDefaultPaper(base);
    m_lexer->setPaper(base, -1);
    m_lexer->setDefaultColor(text);
    m_lexer->setColor(text, -1);
    // Token colors: the console's state colors, softened for the background.
    const QColor comment = Theme::muted();
    const QColor keyword = dark ? QColor(0x82, 0xaa, 0xff) : QColor(0x1f, 0x4f, 0xb8);
    const QColor string = dark ? QColor(0xc3, 0xe8, 0x8d) : QColor(0x2e, 0x7d, 0x32);
    const QColor number = dark ? QColor(0xf7, 0x8c, 0x6c) : QColor(0xb3, 0x55, 0x00);
    const QColor regex = dark ? QColor(0xff, 0xcb, 0x6b) : QColor(0x8a, 0x5a, 0x00);
    for (int style : {QsciLexerCPP::Comment, QsciLexerCPP::CommentLine, QsciLexerCPP::CommentDoc,
                      QsciLexerCPP::CommentLineDoc, QsciLexerCPP::CommentDocKeyword})
        m_lexer->setColor(comment, style);
    m_lexer->setColor(keyword, QsciLexerCPP::Keyword);
    m_lexer->setColor(keyword, QsciLexerCPP::KeywordSet2);
    for (int style : {QsciLexerCPP::DoubleQuotedString, QsciLexerCPP::SingleQuotedString,
                      QsciLexerCPP::UnclosedString, QsciLexerCPP::RawString})
        m_lexer->setColor(string, style);
    m_lexer->setColor(number, QsciLexerCPP::Number);
    m_lexer->setColor(regex, QsciLexerCPP::Regex);
    m_lexer->setColor(text, QsciLexerCPP::Operator);
    m_lexer->setColor(text, QsciLexerCPP::Identifier);

    const QColor margin = p.color(QPalette::Window);
    setMarginsBackgroundColor(margin);
    setMarginsForegroundColor(Theme::muted());
    setFoldMarginColors(margin, margin);
    setCaretForegroundColor(text);
    setCaretLineBackgroundColor(Theme::mix(base, text, 0.06));
    setSelectionBackgroundColor(p.color(QPalette::Highlight));
    setSelectionForegroundColor(p.color(QPalette::HighlightedText));
    setMatchedBraceBackgroundColor(Theme::mix(base, Theme::accent(), 0.3));
    setMatchedBraceForegroundColor(text);
    setUnmatchedBraceForegroundColor(Theme::negative());
    setIndentationGuidesBackgroundColor(base);
    setIndentationGuidesForegroundColor(Theme::mix(base, text, 0.15));
    setMarkerBackgroundColor(Theme::mix(base, Theme::negative(), 0.25), m_errorMarker);
    setMarkerBackgroundColor(Theme::negative(), m_errorMarker + 1);
    setMarkerForegroundColor(Theme::negative(), m_errorMarker + 1);
    setMarginWidth(0, QStringLiteral("00000"));
}

bool ScriptEditor::caretOnScreen() const
{
    const long pos = SendScintilla(SCI_GETCURRENTPOS);
    const int x = int(SendScintilla(SCI_POINTXFROMPOSITION, 0UL, pos));
    const int y = int(SendScintilla(SCI_POINTYFROMPOSITION, 0UL, pos));
    const int line = int(SendScintilla(SCI_TEXTHEIGHT, 0UL, 0L));
    return QGuiApplication::screenAt(viewport()->mapToGlobal(QPoint(x, y + line))) != nullptr;
}

void ScriptEditor::autoCompleteFromAll()
{
    if (caretOnScreen())
        QsciScintilla::autoCompleteFromAll();
}

void ScriptEditor::autoCompleteFromAPIs()
{
    if (caretOnScreen())
        QsciScintilla::autoCompleteFromAPIs();
}

void ScriptEditor::autoCompleteFromDocument()
{
    if (caretOnScreen())
        QsciScintilla::autoCompleteFromDocument();
}

void ScriptEditor::keyPressEvent(QKeyEvent *event)
{
    // The list opens by itself while typing (after 2 letters, or a "."): only where it can be placed.
    setAutoCompletionSource(caretOnScreen() ? QsciScintilla::AcsAll : QsciScintilla::AcsNone);
    QsciScintilla::keyPressEvent(event);
}

void ScriptEditor::changeEvent(QEvent *event)
{
    QsciScintilla::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && !m_applying) {
        m_applying = true; // setting colors must not start another round
        applyPalette();
        m_applying = false;
    }
}

} // namespace Hearth
