module harbinger/demo/leaky

go 1.19
