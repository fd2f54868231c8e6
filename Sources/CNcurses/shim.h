#ifndef ONNXSCOPE_CNCURSES_SHIM_H
#define ONNXSCOPE_CNCURSES_SHIM_H

/* The wide-character API (cchar_t, setcchar, wget_wch) is only declared when these are set
   before the first ncurses include. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <unistd.h>

#if __has_include(<ncursesw/curses.h>)
#include <ncursesw/curses.h>
#else
#include <curses.h>
#endif

/* All helpers are prefixed onx_ so they never collide with ncurses names. They wrap the
   macros (COLOR_PAIR, getmaxyx, KEY_F, A_*, BUTTON*_PRESSED) and the globals (stdscr, LINES,
   COLS, COLORS, COLOR_PAIRS) that Swift either cannot import or treats as unsafe shared
   mutable state. */

/* ---- screen lifecycle ---- */

static inline SCREEN *onx_newterm(const char *type, FILE *out, FILE *in) { return newterm(type, out, in); }
static inline FILE *onx_stdout(void) { return stdout; }
/* A stream of its own on a duplicate of fd 1, for ncurses to draw through: a background job
   that points fd 1 into a pipe while ORT runs (NativeOutputCapture) then never swallows a
   frame. NULL if fd 1 cannot be duplicated. */
static inline FILE *onx_private_stdout(void) {
    int fd = dup(1);
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "w");
    if (f == NULL) close(fd);
    return f;
}
static inline int onx_fclose(FILE *f) { return fclose(f); }
static inline FILE *onx_stdin(void) { return stdin; }
static inline int onx_setlocale_from_environment(void) { return setlocale(LC_ALL, "") != NULL; }

/* Put the terminal in the mode an interactive full-screen program wants: no echo, keys
   delivered one at a time (Ctrl-C still signals), function keys decoded, hidden cursor. */
static inline void onx_configure_input(int escape_delay_ms) {
    set_escdelay(escape_delay_ms);
    noecho();
    cbreak();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    leaveok(stdscr, FALSE);
    scrollok(stdscr, FALSE);
}

static inline int onx_endwin(void) { return endwin(); }
static inline int onx_isendwin(void) { return isendwin(); }
static inline void onx_delscreen(SCREEN *s) { delscreen(s); }
static inline int onx_refresh(void) { return wrefresh(stdscr); }
static inline int onx_noutrefresh(void) { return wnoutrefresh(stdscr); }
static inline int onx_doupdate(void) { return doupdate(); }
static inline int onx_clear(void) { return wclear(stdscr); }
static inline int onx_erase(void) { return werase(stdscr); }
static inline int onx_clearok(int on) { return clearok(stdscr, on ? TRUE : FALSE); }
static inline int onx_curs_set(int visibility) { return curs_set(visibility); }
static inline int onx_move(int y, int x) { return wmove(stdscr, y, x); }
static inline int onx_beep(void) { return beep(); }

static inline int onx_lines(void) { return LINES; }
static inline int onx_cols(void) { return COLS; }
static inline void onx_screen_size(int *rows, int *cols) {
    int y, x;
    getmaxyx(stdscr, y, x);
    *rows = y;
    *cols = x;
}

/* ---- colors ---- */

static inline int onx_has_colors(void) { return has_colors(); }
static inline int onx_start_color(void) { return start_color(); }
static inline int onx_use_default_colors(void) { return use_default_colors(); }
static inline int onx_colors(void) { return COLORS; }
static inline int onx_color_pairs(void) { return COLOR_PAIRS; }

/* Terminfo's RGB capability marks direct-color terminals (TERM=xterm-direct and friends),
   where a color number is the packed 0xRRGGBB value itself. */
static inline int onx_has_direct_color(void) {
    int flag = tigetflag("RGB");
    return flag > 0;
}

static inline int onx_extended_colors_available(void) {
#if defined(NCURSES_EXT_COLORS) && NCURSES_EXT_COLORS
    return 1;
#else
    return 0;
#endif
}

/* Extended pairs lift the 32767-pair limit and accept color numbers above 255 (direct color). */
static inline int onx_init_pair(int pair, int fg, int bg) {
#if defined(NCURSES_EXT_COLORS) && NCURSES_EXT_COLORS
    return init_extended_pair(pair, fg, bg);
#else
    return init_pair((short)pair, (short)fg, (short)bg);
#endif
}

/* ---- output ---- */

enum {
    ONX_ATTR_BOLD = 1 << 0,
    ONX_ATTR_DIM = 1 << 1,
    ONX_ATTR_ITALIC = 1 << 2,
    ONX_ATTR_UNDERLINE = 1 << 3,
    ONX_ATTR_REVERSE = 1 << 4,
};

static inline attr_t onx_attr_from_flags(unsigned flags) {
    attr_t a = A_NORMAL;
    if (flags & ONX_ATTR_BOLD) a |= A_BOLD;
    if (flags & ONX_ATTR_DIM) a |= A_DIM;
#ifdef A_ITALIC
    if (flags & ONX_ATTR_ITALIC) a |= A_ITALIC;
#endif
    if (flags & ONX_ATTR_UNDERLINE) a |= A_UNDERLINE;
    if (flags & ONX_ATTR_REVERSE) a |= A_REVERSE;
    return a;
}

/* Writes one cell: a NUL-terminated grapheme (base character plus combining marks, at most
   CCHARW_MAX wide characters) with attributes and a color pair. Going through cchar_t rather
   than mvaddwstr keeps attributes and the (possibly extended) pair attached to the character. */
static inline int onx_put_cell(int y, int x, const wchar_t *wch, unsigned flags, int pair) {
    cchar_t c;
    attr_t a = onx_attr_from_flags(flags);
#if defined(NCURSES_EXT_COLORS) && NCURSES_EXT_COLORS
    int p = pair;
    if (setcchar(&c, wch, a, 0, &p) == ERR) return ERR;
#else
    if (setcchar(&c, wch, a, (short)pair, NULL) == ERR) return ERR;
#endif
    return mvwadd_wch(stdscr, y, x, &c);
}

static inline int onx_cchar_max(void) { return CCHARW_MAX; }

/* ---- input ---- */

static inline void onx_input_timeout(int ms) { wtimeout(stdscr, ms); }

/* Returns OK for a character, KEY_CODE_YES for a function key, ERR on timeout. */
static inline int onx_get_wch(unsigned int *out) {
    wint_t w = 0;
    int rc = wget_wch(stdscr, &w);
    *out = (unsigned int)w;
    return rc;
}

static inline int onx_ok(void) { return OK; }
static inline int onx_err(void) { return ERR; }
static inline int onx_key_code_yes(void) { return KEY_CODE_YES; }

static inline int onx_key_up(void) { return KEY_UP; }
static inline int onx_key_down(void) { return KEY_DOWN; }
static inline int onx_key_left(void) { return KEY_LEFT; }
static inline int onx_key_right(void) { return KEY_RIGHT; }
static inline int onx_key_home(void) { return KEY_HOME; }
static inline int onx_key_end(void) { return KEY_END; }
static inline int onx_key_ppage(void) { return KEY_PPAGE; }
static inline int onx_key_npage(void) { return KEY_NPAGE; }
static inline int onx_key_ic(void) { return KEY_IC; }
static inline int onx_key_dc(void) { return KEY_DC; }
static inline int onx_key_backspace(void) { return KEY_BACKSPACE; }
static inline int onx_key_enter(void) { return KEY_ENTER; }
static inline int onx_key_btab(void) { return KEY_BTAB; }
static inline int onx_key_resize(void) { return KEY_RESIZE; }
static inline int onx_key_mouse(void) { return KEY_MOUSE; }
static inline int onx_key_f(int n) { return KEY_F(n); }
static inline int onx_key_sleft(void) { return KEY_SLEFT; }
static inline int onx_key_sright(void) { return KEY_SRIGHT; }
static inline int onx_key_sr(void) { return KEY_SR; }
static inline int onx_key_sf(void) { return KEY_SF; }
static inline int onx_key_shome(void) { return KEY_SHOME; }
static inline int onx_key_send(void) { return KEY_SEND; }

/* ---- mouse ---- */

enum {
    ONX_MOUSE_LEFT_PRESS = 1 << 0,
    ONX_MOUSE_LEFT_RELEASE = 1 << 1,
    ONX_MOUSE_MIDDLE_PRESS = 1 << 2,
    ONX_MOUSE_RIGHT_PRESS = 1 << 3,
    ONX_MOUSE_WHEEL_UP = 1 << 4,
    ONX_MOUSE_WHEEL_DOWN = 1 << 5,
    ONX_MOUSE_LEFT_CLICK = 1 << 6,
    ONX_MOUSE_RIGHT_RELEASE = 1 << 7,
    ONX_MOUSE_MIDDLE_RELEASE = 1 << 8,
};

/* Presses rather than clicks, with mouseinterval(0): click detection would delay every
   press by the click interval, which makes selection feel sluggish. */
static inline int onx_enable_mouse(void) {
    mmask_t wanted = BUTTON1_PRESSED | BUTTON1_RELEASED | BUTTON1_CLICKED
                   | BUTTON2_PRESSED | BUTTON2_RELEASED
                   | BUTTON3_PRESSED | BUTTON3_RELEASED
                   | BUTTON4_PRESSED;
#ifdef BUTTON5_PRESSED
    wanted |= BUTTON5_PRESSED;
#endif
    mouseinterval(0);
    return mousemask(wanted, NULL) != 0;
}

static inline void onx_disable_mouse(void) { mousemask(0, NULL); }

/* Reads the pending mouse event; returns 0 on success with a bitset of ONX_MOUSE_* flags. */
static inline int onx_get_mouse(int *x, int *y, unsigned *flags) {
    MEVENT ev;
    if (getmouse(&ev) != OK) return -1;
    unsigned f = 0;
    if (ev.bstate & BUTTON1_PRESSED) f |= ONX_MOUSE_LEFT_PRESS;
    if (ev.bstate & BUTTON1_RELEASED) f |= ONX_MOUSE_LEFT_RELEASE;
    if (ev.bstate & BUTTON1_CLICKED) f |= ONX_MOUSE_LEFT_CLICK;
    if (ev.bstate & BUTTON2_PRESSED) f |= ONX_MOUSE_MIDDLE_PRESS;
    if (ev.bstate & BUTTON2_RELEASED) f |= ONX_MOUSE_MIDDLE_RELEASE;
    if (ev.bstate & BUTTON3_PRESSED) f |= ONX_MOUSE_RIGHT_PRESS;
    if (ev.bstate & BUTTON3_RELEASED) f |= ONX_MOUSE_RIGHT_RELEASE;
    if (ev.bstate & BUTTON4_PRESSED) f |= ONX_MOUSE_WHEEL_UP;
#ifdef BUTTON5_PRESSED
    if (ev.bstate & BUTTON5_PRESSED) f |= ONX_MOUSE_WHEEL_DOWN;
#endif
    *x = ev.x;
    *y = ev.y;
    *flags = f;
    return 0;
}

/* ---- signals and restore ---- */

/* SA_RESETHAND puts the default action back before the handler runs, so the handler can
   restore the terminal and re-raise to die with the original signal (exit status and core
   dump behave as if we had never intercepted it). SA_NODEFER lets that re-raise land
   immediately instead of after the handler returns. */
static inline int onx_install_one_shot_handler(int sig, void (*handler)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    return sigaction(sig, &sa, NULL);
}

static inline int onx_reset_signal_to_default(int sig) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

/* Lock-free exchange on a flag, safe to use from a signal handler; makes restore idempotent
   even when a signal lands while the normal exit path is restoring. */
static inline int onx_atomic_exchange(int *flag, int value) {
    return __atomic_exchange_n(flag, value, __ATOMIC_SEQ_CST);
}

static inline int onx_atomic_load(int *flag) {
    return __atomic_load_n(flag, __ATOMIC_SEQ_CST);
}

#endif /* ONNXSCOPE_CNCURSES_SHIM_H */
