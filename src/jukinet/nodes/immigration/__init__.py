"""The immigration authority (出入国在留管理庁, ISA): it tells municipalities about the changes it
made to foreign residents (住基法30条の50) and keeps what each municipality answered."""
