"""ice/fuzz"""
