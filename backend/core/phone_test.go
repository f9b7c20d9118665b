package core

import "testing"

func TestPhoneKeyIsTheLastTenDigits(t *testing.T) {
	cases := []struct{ phone, key string }{
		{"+7 916 123-45-67", "9161234567"},
		{"8 (916) 1234567", "9161234567"},
		{"9161234567", "9161234567"},
		{"+44 20 7946 0958", "2079460958"},
		{"12-34-5", ""},    // too short to identify anyone
		{"", ""},           // no phone
		{"+7 ٩١٦ 123", ""}, // Arabic-Indic digits are not matched: phones are compared byte-wise
		{"call me 123456", "123456"},
	}
	for _, c := range cases {
		if got := PhoneKey(c.phone); got != c.key {
			t.Errorf("PhoneKey(%q) = %q, want %q", c.phone, got, c.key)
		}
	}
}

func TestSamePhoneAcrossBots(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"+7 916 123-45-67", "8 (916) 123-45-67", true},
		{"+7 916 123-45-67", "+7 916 123-45-68", false},
		{"12345", "12345", false}, // too short: two strangers with a short code are not joined
		{"", "", false},
	}
	for _, c := range cases {
		if got := SamePhone(c.a, c.b); got != c.same {
			t.Errorf("SamePhone(%q, %q) = %v", c.a, c.b, got)
		}
	}
}

func TestSharedPhoneKeepsStoresOrMerges(t *testing.T) {
	cases := []struct {
		name            string
		current, shared string
		otherHasIt      bool
		want            SharedPhoneAction
	}{
		{"no phone yet, nobody else has it", "", "+7 916 123-45-67", false, PhoneStore},
		{"no phone yet, another person has it: the same human", "", "+7 916 123-45-67", true, PhoneMerge},
		{"the same phone again", "8 916 1234567", "+7 916 123-45-67", true, PhoneKeep},
		{"a second number is not ours to pick", "+7 900 000-00-00", "+7 916 123-45-67", true, PhoneKeep},
		{"a short number is stored but joins nobody", "", "12345", true, PhoneStore},
		{"no digits at all", "", "n/a", false, PhoneKeep},
	}
	for _, c := range cases {
		if got := SharedPhone(c.current, c.shared, c.otherHasIt); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
