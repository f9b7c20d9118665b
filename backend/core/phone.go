package core

// Phone matching across bots: a client who shares the same phone on two bots is one person.

// minPhoneKey is the shortest key that identifies anyone: shorter numbers (short codes,
// typos) would join strangers.
const minPhoneKey = 6

// PhoneDigits is the phone's ASCII digits only; phones are matched byte-wise.
func PhoneDigits(phone string) string {
	b := make([]byte, 0, len(phone))
	for i := 0; i < len(phone); i++ {
		if c := phone[i]; c >= '0' && c <= '9' {
			b = append(b, c)
		}
	}
	return string(b)
}

// PhoneKey is what two phones must share to be the same person: the last 10 digits, so
// "+7 916 123-45-67" and "8 (916) 1234567" match. It is "" when the phone is too short to
// identify anyone.
func PhoneKey(phone string) string {
	d := PhoneDigits(phone)
	if len(d) > 10 {
		d = d[len(d)-10:]
	}
	if len(d) < minPhoneKey {
		return ""
	}
	return d
}

// SamePhone says whether two phones belong to the same person.
func SamePhone(a, b string) bool {
	k := PhoneKey(a)
	return k != "" && k == PhoneKey(b)
}

// SharedPhoneAction is what to do when a client shares a phone in a chat of a known person.
type SharedPhoneAction int

const (
	// PhoneKeep: nothing changes (the person already has a phone, the same or another one: a
	// second number is not ours to pick; or the shared "phone" has no digits).
	PhoneKeep SharedPhoneAction = iota
	// PhoneStore: the person had no phone; it becomes theirs.
	PhoneStore
	// PhoneMerge: the person had no phone and another person has this one: they are the same
	// human, so this person is merged into the other (the older record).
	PhoneMerge
)

// SharedPhone decides what a shared phone does to a person whose phone is current, given
// whether another person already has the shared phone.
func SharedPhone(current, shared string, otherHasIt bool) SharedPhoneAction {
	switch {
	case current != "" || PhoneDigits(shared) == "":
		return PhoneKeep
	case otherHasIt && PhoneKey(shared) != "":
		return PhoneMerge
	default:
		return PhoneStore
	}
}
