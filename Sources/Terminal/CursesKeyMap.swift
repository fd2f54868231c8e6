import CNcurses

/// Translates ncurses function-key codes (what `wget_wch` returns with `KEY_CODE_YES`) into ``Key``s.
enum CursesKeyMap {
    static func key(forCode code: Int32) -> Key? {
        let c = Int32(code)
        switch c {
        case onx_key_up(), onx_key_sr(): return .up
        case onx_key_down(), onx_key_sf(): return .down
        case onx_key_left(), onx_key_sleft(): return .left
        case onx_key_right(), onx_key_sright(): return .right
        case onx_key_home(), onx_key_shome(): return .home
        case onx_key_end(), onx_key_send(): return .end
        case onx_key_ppage(): return .pageUp
        case onx_key_npage(): return .pageDown
        case onx_key_ic(): return .insert
        case onx_key_dc(): return .delete
        case onx_key_backspace(): return .backspace
        case onx_key_enter(): return .enter
        case onx_key_btab(): return .backTab
        default:
            let f0 = onx_key_f(0)
            // ncurses numbers shifted F-keys as F13–F24 and ctrl as F25–F36; fold them onto F1–F12.
            if c > f0 && c <= f0 + 63 { return .function(Int((c - f0 - 1) % 12) + 1) }
            return nil
        }
    }
}
