"""The card node (個人番号カード): which cards exist for whom and in which state, the counter's
work on them (issue, suspend, resume, revoke, PIN reset), and the PIN checks municipalities
ask for at a 特例転入 and for 継続利用. The JPKI certificates on the card are not kept here."""
